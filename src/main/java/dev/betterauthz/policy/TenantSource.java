package dev.betterauthz.policy;

import java.util.Objects;

/**
 * Where a route takes its organization from (policy {@code tenant}).
 *
 * @param kind path parameter, request header or token claim
 * @param name the parameter, header (lower-case) or claim name
 * @param bySlug true when the value is an organization slug to resolve, false when it is the id
 */
public record TenantSource(Kind kind, String name, boolean bySlug) {
  /** The three places a tenant can come from. */
  public enum Kind {
    PATH,
    HEADER,
    CLAIM
  }

  public TenantSource {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }
}
