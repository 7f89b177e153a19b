package dev.betterauthz.token;

import dev.betterauthz.config.AppConfig.JwtConfig;
import dev.betterauthz.decision.DenyReason;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Checks the registered claims of a verified payload and keeps the few others the decision needs.
 * Immutable and thread-safe.
 *
 * <p>Rules: {@code iss} equals the configured issuer; {@code aud} (a string or an array) contains
 * one of the configured audiences; {@code exp} is required and {@code nbf} optional, both compared
 * with {@code clockSkew}; {@code sub} is a non-empty string. {@code iat} is optional: when absent,
 * {@link VerifiedToken#issuedAt()} is the epoch, so any revocation event counts as newer than the
 * token and its role claims are never trusted over one (fail closed; Better Auth always sets {@code
 * iat}).
 */
final class ClaimsVerifier {
  private static final List<String> ALWAYS_KEPT = List.of("role", "banned", "sid");

  private final String issuer;
  private final Set<String> audiences;
  private final Duration skew;
  private final List<String> kept;

  ClaimsVerifier(JwtConfig config) {
    this.issuer = config.issuer();
    this.audiences = Set.copyOf(config.audiences());
    this.skew = config.clockSkew();
    Set<String> names = new LinkedHashSet<>(List.of(config.orgClaim(), config.orgRoleClaim()));
    names.addAll(ALWAYS_KEPT);
    this.kept = List.copyOf(names);
  }

  /**
   * A payload that passed.
   *
   * @param token what the decision sees
   * @param notBefore {@code nbf}, kept to re-check cache hits
   */
  record Checked(VerifiedToken token, Optional<Instant> notBefore) {}

  /** Checks the payload at {@code now}; the signature must already be verified. */
  Checked verify(String payloadJson, Instant now) throws TokenRejection {
    try {
      JwtClaims claims = JwtClaims.parse(payloadJson);
      NumericDate exp = claims.getExpirationTime();
      if (exp == null) {
        throw reject(DenyReason.MALFORMED_TOKEN, "exp missing");
      }
      if (!issuer.equals(claims.getIssuer())) {
        throw reject(DenyReason.WRONG_ISSUER, "iss differs");
      }
      List<String> aud = claims.hasAudience() ? claims.getAudience() : List.of();
      if (aud == null || aud.stream().noneMatch(audiences::contains)) {
        throw reject(DenyReason.WRONG_AUDIENCE, "aud lacks every configured audience");
      }
      NumericDate notBefore = claims.getNotBefore();
      Optional<Instant> nbf =
          notBefore == null ? Optional.empty() : Optional.of(instant(notBefore));
      Instant expiresAt = instant(exp);
      checkTime(expiresAt, nbf, now);
      String sub = claims.getSubject();
      if (sub == null || sub.isEmpty()) {
        throw reject(DenyReason.MALFORMED_TOKEN, "sub missing or empty");
      }
      NumericDate iat = claims.getIssuedAt();
      Instant issuedAt = iat != null ? instant(iat) : Instant.EPOCH;
      return new Checked(
          new VerifiedToken(sub, issuedAt, expiresAt, keptClaims(claims), VerifiedToken.Kind.JWT),
          nbf);
    } catch (InvalidJwtException | MalformedClaimException e) {
      throw reject(DenyReason.MALFORMED_TOKEN, "claims malformed");
    }
  }

  /** The time checks alone, also re-run on every cache hit. */
  void checkTime(Instant expiresAt, Optional<Instant> notBefore, Instant now)
      throws TokenRejection {
    if (!now.isBefore(expiresAt.plus(skew))) {
      throw reject(DenyReason.EXPIRED_TOKEN, "exp passed");
    }
    if (notBefore.isPresent() && now.plus(skew).isBefore(notBefore.get())) {
      throw reject(DenyReason.TOKEN_NOT_YET_VALID, "nbf in the future");
    }
  }

  private Map<String, Object> keptClaims(JwtClaims claims) {
    Map<String, Object> result = new HashMap<>();
    for (String name : kept) {
      Object value = claims.getClaimValue(name);
      if (value instanceof String || value instanceof Boolean || value instanceof Number) {
        result.put(name, value);
      }
    }
    return result;
  }

  /** A NumericDate as an Instant; one outside Instant's range is a malformed claim. */
  private static Instant instant(NumericDate date) throws TokenRejection {
    try {
      return Instant.ofEpochSecond(date.getValue());
    } catch (java.time.DateTimeException e) {
      throw reject(DenyReason.MALFORMED_TOKEN, "time claim out of range");
    }
  }

  private static TokenRejection reject(DenyReason reason, String detail) {
    return new TokenRejection(reason, detail);
  }
}
