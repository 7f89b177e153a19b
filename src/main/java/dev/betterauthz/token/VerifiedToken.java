package dev.betterauthz.token;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A credential that passed every check. Immutable; safe to cache until {@link #expiresAt()}.
 *
 * @param subject the user id ({@code sub} of a JWT, {@code user_id} of a session)
 * @param issuedAt {@code iat} (or the session's creation), used against revocation events
 * @param expiresAt {@code exp} (or the session's {@code expires_at})
 * @param claims the few claims the decision may read (organization, role, ban flag), never the
 *     whole payload; values are Strings, Booleans or Numbers
 * @param kind how the caller proved who it is
 */
public record VerifiedToken(
    String subject, Instant issuedAt, Instant expiresAt, Map<String, Object> claims, Kind kind) {

  /** The kind of credential. */
  public enum Kind {
    JWT,
    SESSION
  }

  public VerifiedToken {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(kind, "kind");
    claims = Map.copyOf(claims);
  }

  /** A claim as a string, if present and a string. */
  public Optional<String> stringClaim(String name) {
    return claims.get(name) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /** A claim as a boolean, if present and a boolean. */
  public Optional<Boolean> booleanClaim(String name) {
    return claims.get(name) instanceof Boolean b ? Optional.of(b) : Optional.empty();
  }
}
