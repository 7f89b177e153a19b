package dev.betterauthz.tenancy;

/** How fresh a route needs the caller's role to be (policy {@code consistency}). */
public enum Consistency {
  /** Role claims in the token are enough (no IO), unless revoked since the token was issued. */
  CLAIMS,
  /** In-process cache, then Redis, then PostgreSQL; caches are invalidated by events. */
  CACHED,
  /** Always ask PostgreSQL. */
  STRONG
}
