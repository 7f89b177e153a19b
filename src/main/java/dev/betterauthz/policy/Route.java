package dev.betterauthz.policy;

import dev.betterauthz.tenancy.Consistency;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One compiled policy route. Immutable.
 *
 * @param name unique route name (metric label, log field, {@code context_extensions} selector)
 * @param methods upper-case methods matched; empty means any method
 * @param access what the route needs from the caller
 * @param tenant where the organization comes from, if the route is tenant-scoped
 * @param require permissions that must all be granted ({@code resource:action})
 * @param consistency how fresh the role must be
 * @param shadow true for {@code mode: shadow}: always allow, but log what enforcement would do
 */
public record Route(
    String name,
    Set<String> methods,
    Access access,
    Optional<TenantSource> tenant,
    List<String> require,
    Consistency consistency,
    boolean shadow) {

  /** What a route requires before permissions are considered. */
  public enum Access {
    /** No credential needed. */
    PUBLIC,
    /** Any valid credential of a user who is not banned. */
    AUTHENTICATED,
    /** A credential plus the {@code require} permissions (in the tenant, if any). */
    PERMISSIONS;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The lower-case name, as written in explain output. */
    public String label() {
      return label;
    }
  }

  public Route {
    Objects.requireNonNull(name, "name");
    methods = Set.copyOf(methods);
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(tenant, "tenant");
    require = List.copyOf(require);
    Objects.requireNonNull(consistency, "consistency");
  }
}
