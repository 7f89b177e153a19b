package dev.betterauthz.policy;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One loaded policy file: member roles, platform roles, routes and the default. Immutable; a reload
 * swaps the whole object so no request ever sees half a policy.
 */
public final class Policy {
  private final Map<String, PermissionSet> memberRoles;
  private final Map<String, PermissionSet> platformRoles;
  private final RouteTable routes;
  private final boolean defaultAllow;
  private final String source;
  private final List<String> warnings;

  /**
   * @param memberRoles {@code roles}: member role name to permissions
   * @param platformRoles {@code platformRoles}: {@code users.role} value to permissions
   * @param routes compiled routes
   * @param defaultAllow {@code default: allow} (ships as deny)
   * @param source where it was loaded from, for logs
   */
  public Policy(
      Map<String, PermissionSet> memberRoles,
      Map<String, PermissionSet> platformRoles,
      RouteTable routes,
      boolean defaultAllow,
      String source) {
    this(memberRoles, platformRoles, routes, defaultAllow, source, List.of());
  }

  /**
   * A policy with the loader's warnings (problems that do not stop it from being used).
   *
   * @param warnings one formatted line each ({@code file:line:col: path: message})
   */
  public Policy(
      Map<String, PermissionSet> memberRoles,
      Map<String, PermissionSet> platformRoles,
      RouteTable routes,
      boolean defaultAllow,
      String source,
      List<String> warnings) {
    this.memberRoles = Map.copyOf(memberRoles);
    this.platformRoles = Map.copyOf(platformRoles);
    this.routes = Objects.requireNonNull(routes, "routes");
    this.defaultAllow = defaultAllow;
    this.source = Objects.requireNonNull(source, "source");
    this.warnings = List.copyOf(warnings);
  }

  public RouteTable routes() {
    return routes;
  }

  public boolean defaultAllow() {
    return defaultAllow;
  }

  public String source() {
    return source;
  }

  /** What the loader found questionable but not wrong, e.g. a permission no role grants. */
  public List<String> warnings() {
    return warnings;
  }

  /** Permissions granted by member roles; unknown role names grant nothing. */
  public PermissionSet memberPermissions(Collection<String> roles) {
    return unionOf(memberRoles, roles);
  }

  /** Permissions granted by platform roles ({@code users.role}); unknown names grant nothing. */
  public PermissionSet platformPermissions(Collection<String> roles) {
    return unionOf(platformRoles, roles);
  }

  public Map<String, PermissionSet> memberRoleTable() {
    return memberRoles;
  }

  private static PermissionSet unionOf(Map<String, PermissionSet> table, Collection<String> roles) {
    PermissionSet result = PermissionSet.EMPTY;
    for (String role : roles) {
      PermissionSet granted = table.get(role);
      if (granted != null) {
        result = result.union(granted);
      }
    }
    return result;
  }
}
