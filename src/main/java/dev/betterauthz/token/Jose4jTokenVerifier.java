package dev.betterauthz.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.betterauthz.config.AppConfig.JwtConfig;
import dev.betterauthz.decision.DenyReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies Better Auth JWTs (compact JWS) against a {@link KeySource}, strictly: size limit first,
 * three parts only (JWE, nested tokens, {@code crit} and {@code b64} refused; {@code jku}, {@code
 * x5u} and {@code jwk} ignored: keys come only from the key source), {@code alg} in the allow-list
 * and bound to the key's type, a {@code kid} required when the key set holds several keys, then the
 * signature (BouncyCastle for Ed25519), then the claims ({@link ClaimsVerifier}).
 *
 * <p>Valid tokens are cached (Caffeine, at most {@code tokenCacheSize}, keyed by the token string,
 * expiring at {@code exp}); a hit re-checks {@code exp}/{@code nbf} against the clock and that the
 * signing key is still served, and does no signature work. A miss runs on the calling thread (~0.1
 * ms for Ed25519), except for an unknown {@code kid}: then the stage completes later, after the key
 * source's rate-limited refetch, and the caller is never blocked. Never completes exceptionally.
 * Thread-safe.
 */
public final class Jose4jTokenVerifier implements TokenVerifier {
  private static final Logger log = LoggerFactory.getLogger(Jose4jTokenVerifier.class);
  static final long FORGERY_CACHE_BYTES = 8L << 20;
  static final Duration FORGERY_TTL = Duration.ofSeconds(60);

  private record Entry(
      CompletionStage<TokenResult> result, ClaimsVerifier.Checked checked, VerificationKey key) {}

  private final KeySource keys;
  private final Clock clock;
  private final int maxTokenBytes;
  private final Set<SignatureAlgorithm> allowed;
  private final ClaimsVerifier claims;
  private final Cache<String, Entry> cache;
  private final AtomicLong signatureChecks = new AtomicLong();

  /**
   * @throws IllegalArgumentException when {@code algorithms} names {@code none}, an HMAC, or an
   *     algorithm this verifier does not support
   */
  public Jose4jTokenVerifier(JwtConfig config, KeySource keys, Clock clock) {
    Objects.requireNonNull(config, "config");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxTokenBytes = config.maxTokenBytes();
    this.allowed = allowedAlgorithms(config);
    this.claims = new ClaimsVerifier(config);
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(config.tokenCacheSize())
            .expireAfter(
                Expiry.<String, Entry>creating(
                    (token, entry) ->
                        Duration.between(clock.instant(), entry.checked().token().expiresAt())))
            .build();
  }

  /** Tokens whose signature failed, by their text; bounded by total bytes, kept briefly. */
  private final Cache<String, TokenResult> forgeries =
      Caffeine.newBuilder()
          .maximumWeight(FORGERY_CACHE_BYTES)
          .<String, TokenResult>weigher((token, result) -> token.length())
          .expireAfterWrite(FORGERY_TTL)
          .build();

  @Override
  public CompletionStage<TokenResult> verify(String compactJws) {
    try {
      if (compactJws == null) {
        return done(TokenResult.invalid(DenyReason.MALFORMED_TOKEN, "no token"));
      }
      Entry hit = cache.getIfPresent(compactJws);
      if (hit != null) {
        return revalidate(compactJws, hit);
      }
      TokenResult forged = forgeries.getIfPresent(compactJws);
      if (forged != null) {
        return done(forged);
      }
      CompactJws jws = CompactJws.parse(compactJws, maxTokenBytes);
      SignatureAlgorithm alg = algorithmOf(jws);
      Optional<String> kid = jws.kid();
      if (kid.isPresent() && keys.keys().find(kid.get()).isEmpty()) {
        return keys.refetchForUnknownKid(kid.get())
            .handle((set, error) -> verifySafely(jws, alg, set == null ? KeySet.EMPTY : set));
      }
      return done(verifyWith(jws, alg, keys.keys()));
    } catch (TokenRejection rejection) {
      return done(rejection.toResult());
    } catch (RuntimeException e) {
      log.warn("token verification failed unexpectedly: {}", e.getClass().getName());
      return done(TokenResult.invalid(DenyReason.MALFORMED_TOKEN, "unexpected verification error"));
    }
  }

  /** Signature verifications performed (cache misses that reached the signature check). */
  public long signatureChecks() {
    return signatureChecks.get();
  }

  /** Tokens currently cached (approximate). */
  public long cachedTokens() {
    return cache.estimatedSize();
  }

  private CompletionStage<TokenResult> revalidate(String token, Entry hit) {
    try {
      Instant now = clock.instant();
      claims.checkTime(hit.checked().token().expiresAt(), hit.checked().notBefore(), now);
      if (!keys.keys().holds(hit.key()) || !hit.key().usableAt(now)) {
        cache.invalidate(token);
        return done(TokenResult.invalid(DenyReason.UNKNOWN_KEY, "signing key no longer served"));
      }
      return hit.result();
    } catch (TokenRejection rejection) {
      return done(rejection.toResult());
    }
  }

  private TokenResult verifySafely(CompactJws jws, SignatureAlgorithm alg, KeySet set) {
    try {
      return verifyWith(jws, alg, set);
    } catch (TokenRejection rejection) {
      return rejection.toResult();
    } catch (RuntimeException e) {
      log.warn("token verification failed unexpectedly: {}", e.getClass().getName());
      return TokenResult.invalid(DenyReason.MALFORMED_TOKEN, "unexpected verification error");
    }
  }

  private TokenResult verifyWith(CompactJws jws, SignatureAlgorithm alg, KeySet set)
      throws TokenRejection {
    VerificationKey key = selectKey(jws, alg, set);
    signatureChecks.incrementAndGet();
    if (!alg.verify(jws, key)) {
      TokenRejection rejection =
          new TokenRejection(DenyReason.INVALID_SIGNATURE, "signature does not verify");
      // NOTE: a bad signature stays bad for this key; remembering it keeps a flood of forged
      // tokens from costing a signature check each (bounded by total token bytes, short-lived).
      forgeries.put(jws.compact(), rejection.toResult());
      throw rejection;
    }
    ClaimsVerifier.Checked checked = claims.verify(jws.payloadJson(), clock.instant());
    TokenResult result = new TokenResult.Valid(checked.token());
    cache.put(jws.compact(), new Entry(CompletableFuture.completedStage(result), checked, key));
    return result;
  }

  private VerificationKey selectKey(CompactJws jws, SignatureAlgorithm alg, KeySet set)
      throws TokenRejection {
    Optional<String> kid = jws.kid();
    if (kid.isEmpty()) {
      // Without a kid, only a sole key may be used, and only with an algorithm that fits it.
      Optional<VerificationKey> sole = set.soleKey().filter(alg::fits);
      if (sole.isEmpty()) {
        throw new TokenRejection(DenyReason.UNKNOWN_KEY, "no kid and no sole matching key");
      }
      return usable(sole.get());
    }
    VerificationKey key =
        set.find(kid.get())
            .orElseThrow(() -> new TokenRejection(DenyReason.UNKNOWN_KEY, "kid not in the JWKS"));
    if (!alg.fits(key)) {
      throw new TokenRejection(DenyReason.DISALLOWED_ALGORITHM, "alg does not fit the key");
    }
    return usable(key);
  }

  private VerificationKey usable(VerificationKey key) throws TokenRejection {
    if (!key.usableAt(clock.instant())) {
      throw new TokenRejection(DenyReason.UNKNOWN_KEY, "key expired");
    }
    return key;
  }

  private SignatureAlgorithm algorithmOf(CompactJws jws) throws TokenRejection {
    if (jws.header().containsKey("crit") || jws.header().containsKey("b64")) {
      throw CompactJws.malformed("crit or b64 header not supported");
    }
    if (jws.header().get("cty") instanceof String cty && "JWT".equalsIgnoreCase(cty)) {
      throw CompactJws.malformed("nested JWT not supported");
    }
    if (!(jws.header().get("alg") instanceof String name)) {
      throw CompactJws.malformed("alg missing");
    }
    return SignatureAlgorithm.byName(name)
        .filter(allowed::contains)
        .orElseThrow(() -> new TokenRejection(DenyReason.DISALLOWED_ALGORITHM, "alg not allowed"));
  }

  private static Set<SignatureAlgorithm> allowedAlgorithms(JwtConfig config) {
    Set<SignatureAlgorithm> result = EnumSet.noneOf(SignatureAlgorithm.class);
    for (String name : config.algorithms()) {
      if (SignatureAlgorithm.isForbidden(name)) {
        throw new IllegalArgumentException("algorithm " + name + " is never allowed");
      }
      result.add(
          SignatureAlgorithm.byName(name)
              .orElseThrow(() -> new IllegalArgumentException("unsupported algorithm " + name)));
    }
    if (result.isEmpty()) {
      throw new IllegalArgumentException("no JWT algorithm allowed");
    }
    return result;
  }

  private static CompletionStage<TokenResult> done(TokenResult result) {
    return CompletableFuture.completedStage(result);
  }
}
