package dev.betterauthz.http;

import java.util.Map;

/**
 * What {@code /readyz} reports. Implementations answer from state kept up to date in the background
 * (JWKS loaded, PostgreSQL answering, draining); both methods are called on the Vert.x event loop,
 * so they must not block. Thread-safe.
 */
public interface HealthProbe {

  /** True when the server can give trustworthy decisions. */
  boolean ready();

  /**
   * A small, non-sensitive detail per dependency (for example {@code jwks -> loaded}, {@code
   * postgres -> down}); never null, may be empty.
   */
  Map<String, String> detail();
}
