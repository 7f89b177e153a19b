package dev.betterauthz.policy;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Granted permissions in Better Auth's access-control shape: {@code resource:action}, with the
 * wildcards {@code resource:*} (every action on a resource) and {@code *} (everything). Immutable
 * and thread-safe; checks are hash lookups, no allocation.
 */
public final class PermissionSet {
  public static final PermissionSet EMPTY = new PermissionSet(Set.of(), Set.of(), false);

  private final Set<String> exact;
  private final Set<String> wholeResources;
  private final boolean all;

  private PermissionSet(Set<String> exact, Set<String> wholeResources, boolean all) {
    this.exact = exact;
    this.wholeResources = wholeResources;
    this.all = all;
  }

  /**
   * Builds a set from grants as written in a policy. Grants are assumed validated by the loader.
   */
  public static PermissionSet of(Collection<String> grants) {
    Set<String> exact = new HashSet<>();
    Set<String> resources = new HashSet<>();
    boolean all = false;
    for (String grant : grants) {
      if (grant.equals("*")) {
        all = true;
      } else if (grant.endsWith(":*")) {
        resources.add(grant.substring(0, grant.length() - 2));
      } else {
        exact.add(grant);
      }
    }
    return new PermissionSet(Set.copyOf(exact), Set.copyOf(resources), all);
  }

  /** True when {@code permission} (a concrete {@code resource:action}) is granted. */
  public boolean grants(String permission) {
    if (all || exact.contains(permission)) {
      return true;
    }
    int colon = permission.indexOf(':');
    return colon > 0 && wholeResources.contains(permission.substring(0, colon));
  }

  /** True when every permission in {@code required} is granted. */
  public boolean grantsAll(Collection<String> required) {
    for (String permission : required) {
      if (!grants(permission)) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return !all && exact.isEmpty() && wholeResources.isEmpty();
  }

  /** The union of this set and {@code other}. */
  public PermissionSet union(PermissionSet other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    Set<String> e = new HashSet<>(exact);
    e.addAll(other.exact);
    Set<String> r = new HashSet<>(wholeResources);
    r.addAll(other.wholeResources);
    return new PermissionSet(Set.copyOf(e), Set.copyOf(r), all || other.all);
  }

  @Override
  public String toString() {
    if (all) {
      return "[*]";
    }
    Set<String> shown = new java.util.TreeSet<>(exact);
    wholeResources.forEach(r -> shown.add(r + ":*"));
    return shown.toString();
  }
}
