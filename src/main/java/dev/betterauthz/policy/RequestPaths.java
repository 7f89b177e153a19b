package dev.betterauthz.policy;

import java.util.Optional;

/**
 * Turns the raw request target the gateway saw into the one path routes are matched against, or
 * refuses it as ambiguous. The full rules live in {@code docs/security.md}.
 */
public final class RequestPaths {
  private RequestPaths() {}

  /**
   * @param rawTarget {@code :path} as sent by Envoy (query string included, not decoded)
   * @return the normalized path, or empty when the target is ambiguous and must be denied
   */
  public static Optional<String> normalize(String rawTarget) {
    // Filled in by the policy package work (issue #2 / #8).
    throw new UnsupportedOperationException("not implemented");
  }
}
