package dev.betterauthz.token;

import dev.betterauthz.config.AppConfig.SessionConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link SessionTokenVerifier}. Immutable. {@link #toString()} masks the secret.
 *
 * @param secret Better Auth's secret ({@code BETTER_AUTH_SECRET}, the first of its secrets)
 * @param requireSignature refuse raw bearer tokens, like the bearer plugin's option
 * @param cacheTtl how long a valid session is cached (capped by its expiry)
 * @param negativeTtl how long an unknown session is remembered; shorter than {@code cacheTtl}
 * @param maxEntries bound on cached tokens
 * @param orgClaim the claim name the active organization is reported under (e.g. {@code
 *     organizationId})
 */
public record SessionOptions(
    String secret,
    boolean requireSignature,
    Duration cacheTtl,
    Duration negativeTtl,
    long maxEntries,
    String orgClaim) {

  /** Upper bound of the negative TTL that {@link #of} derives. */
  public static final Duration MAX_NEGATIVE_TTL = Duration.ofSeconds(5);

  public SessionOptions {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(cacheTtl, "cacheTtl");
    Objects.requireNonNull(negativeTtl, "negativeTtl");
    Objects.requireNonNull(orgClaim, "orgClaim");
    if (secret.isEmpty() || cacheTtl.isNegative() || negativeTtl.isNegative() || maxEntries < 0) {
      throw new IllegalArgumentException("invalid session verifier options");
    }
  }

  /**
   * Options from the settings: signatures optional (Better Auth's default), negative TTL = the
   * smaller of {@code cacheTtl / 2} and {@link #MAX_NEGATIVE_TTL}.
   *
   * @throws IllegalArgumentException when sessions are disabled (no secret)
   */
  public static SessionOptions of(SessionConfig config, String orgClaim, long maxEntries) {
    String secret =
        config
            .secret()
            .orElseThrow(() -> new IllegalArgumentException("session tokens are disabled"));
    Duration negative = config.cacheTtl().dividedBy(2);
    if (negative.compareTo(MAX_NEGATIVE_TTL) > 0) {
      negative = MAX_NEGATIVE_TTL;
    }
    return new SessionOptions(secret, false, config.cacheTtl(), negative, maxEntries, orgClaim);
  }

  @Override
  public String toString() {
    return ("SessionOptions[secret=<masked>, requireSignature=%s, cacheTtl=%s, negativeTtl=%s,"
            + " maxEntries=%d, orgClaim=%s]")
        .formatted(requireSignature, cacheTtl, negativeTtl, maxEntries, orgClaim);
  }
}
