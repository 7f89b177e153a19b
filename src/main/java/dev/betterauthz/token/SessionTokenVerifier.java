package dev.betterauthz.token;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.betterauthz.config.AppConfig.SessionConfig;
import dev.betterauthz.decision.DenyReason;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.crypto.SecretKey;

/**
 * Verifies Better Auth session credentials (the session cookie, or a bearer-plugin token) for
 * browser apps that use no JWT. Enabled only when {@code AUTHZ_BETTER_AUTH_SECRET} is set.
 *
 * <p>Order of checks: the signature (HMAC-SHA256 with the Better Auth secret, constant time) is
 * checked first and a bad or malformed value is {@link DenyReason#INVALID_SESSION} without any
 * lookup; then the session is looked up read-only through a {@link SessionRepository}.
 *
 * <ul>
 *   <li>valid session: {@link TokenResult.Valid} with subject = {@code user_id}, issuedAt = {@code
 *       created_at}, expiresAt = {@code expires_at}, the active organization under the configured
 *       organization claim name, kind {@link VerifiedToken.Kind#SESSION};
 *   <li>unknown, deleted or expired session: {@link TokenResult.Invalid} ({@code INVALID_SESSION});
 *   <li>store unreachable: the stage completes exceptionally with {@link
 *       dev.betterauthz.tenancy.BackendUnavailableException} (as the cause of a {@link
 *       java.util.concurrent.CompletionException} when observed through a dependent stage); the
 *       pipeline maps it to 503. Failures are never cached.
 * </ul>
 *
 * <p><b>Cache.</b> Valid sessions are cached for {@code cacheTtl}, never past their {@code
 * expires_at}; unknown sessions for the shorter {@code negativeTtl}. Concurrent lookups of one
 * token share one query. A session deleted by sign-out without an event stays valid here for at
 * most {@code cacheTtl}; {@link #evictToken} and {@link #evictUser} (for {@code session.revoked}
 * and {@code user.banned}) end that at once, including for lookups in flight.
 *
 * <p>Thread-safe. Never logs or exposes tokens.
 */
public final class SessionTokenVerifier {

  private static final TokenResult BAD_SIGNATURE =
      TokenResult.invalid(DenyReason.INVALID_SESSION, "session credential malformed or signature");
  private static final TokenResult UNKNOWN =
      TokenResult.invalid(DenyReason.INVALID_SESSION, "session unknown or expired");

  private final SessionRepository repository;
  private final Options options;
  private final SecretKey key;
  private final Clock clock;
  private final AsyncCache<String, TokenResult> cache;

  /**
   * Settings of the verifier. {@link #toString()} masks the secret.
   *
   * @param secret Better Auth's secret ({@code BETTER_AUTH_SECRET}, the first of its secrets)
   * @param requireSignature refuse raw bearer tokens, like the bearer plugin's option
   * @param cacheTtl how long a valid session is cached (capped by its expiry)
   * @param negativeTtl how long an unknown session is remembered; shorter than {@code cacheTtl}
   * @param maxEntries bound on cached tokens
   * @param orgClaim the claim name the active organization is reported under (e.g. {@code
   *     organizationId})
   */
  public record Options(
      String secret,
      boolean requireSignature,
      Duration cacheTtl,
      Duration negativeTtl,
      long maxEntries,
      String orgClaim) {

    /** Upper bound of the negative TTL that {@link #of} derives. */
    public static final Duration MAX_NEGATIVE_TTL = Duration.ofSeconds(5);

    public Options {
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
    public static Options of(SessionConfig config, String orgClaim, long maxEntries) {
      String secret =
          config
              .secret()
              .orElseThrow(() -> new IllegalArgumentException("session tokens are disabled"));
      Duration negative = config.cacheTtl().dividedBy(2);
      if (negative.compareTo(MAX_NEGATIVE_TTL) > 0) {
        negative = MAX_NEGATIVE_TTL;
      }
      return new Options(secret, false, config.cacheTtl(), negative, maxEntries, orgClaim);
    }

    @Override
    public String toString() {
      return "Options[secret=<masked>, requireSignature=%s, cacheTtl=%s, negativeTtl=%s, maxEntries=%d, orgClaim=%s]"
          .formatted(requireSignature, cacheTtl, negativeTtl, maxEntries, orgClaim);
    }
  }

  /** A verifier on the system clock. */
  public SessionTokenVerifier(SessionRepository repository, Options options) {
    this(repository, options, Clock.systemUTC(), Ticker.systemTicker());
  }

  /** For tests: {@code clock} judges expiry, {@code ticker} drives cache ageing. */
  SessionTokenVerifier(SessionRepository repository, Options options, Clock clock, Ticker ticker) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.key = SessionCookies.signingKey(options.secret());
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(options.maxEntries())
            .ticker(Objects.requireNonNull(ticker, "ticker"))
            .expireAfter(Expiry.creating((String token, TokenResult result) -> lifetime(result)))
            .buildAsync();
  }

  /**
   * Verifies a session credential. Completes at once on a bad signature or a cache hit, otherwise
   * when the lookup answers. See the class documentation for the outcomes.
   */
  public CompletionStage<TokenResult> verify(SessionCredential credential) {
    Objects.requireNonNull(credential, "credential");
    Optional<String> token =
        switch (credential.source()) {
          case COOKIE -> SessionCookies.verifySigned(credential.value(), key);
          case BEARER ->
              SessionCookies.verifyBearer(credential.value(), key, options.requireSignature());
        };
    if (token.isEmpty()) {
      return CompletableFuture.completedFuture(BAD_SIGNATURE);
    }
    return cache.get(token.get(), (t, executor) -> lookup(t)).thenApply(this::stillValid);
  }

  /**
   * Forgets one session ({@code session.revoked} carrying {@code token} or {@code sessionToken}).
   * Accepts the raw token or its signed form; a lookup of it in flight is not cached.
   */
  public void evictToken(String token) {
    Objects.requireNonNull(token, "token");
    cache.synchronous().invalidate(token);
    SessionCookies.verifySigned(token, key).ifPresent(cache.synchronous()::invalidate);
  }

  /**
   * Forgets every cached session of a user ({@code session.revoked} with only {@code userId}, or
   * {@code user.banned}), and every lookup in flight, whose user is not yet known. A scan of the
   * bounded cache: meant for events, not for the request path.
   */
  public void evictUser(String userId) {
    Objects.requireNonNull(userId, "userId");
    cache.asMap().values().removeIf(future -> belongsTo(future, userId));
  }

  /** Number of cached entries (approximate); for metrics and tests. */
  public long cachedEntries() {
    return cache.synchronous().estimatedSize();
  }

  private CompletableFuture<TokenResult> lookup(String token) {
    return repository.findByToken(token).thenApply(this::toResult).toCompletableFuture();
  }

  private TokenResult toResult(Optional<SessionRow> row) {
    if (row.isEmpty() || !row.get().expiresAt().isAfter(clock.instant())) {
      return UNKNOWN;
    }
    SessionRow session = row.get();
    Map<String, Object> claims =
        session
            .activeOrganizationId()
            .<Map<String, Object>>map(org -> Map.of(options.orgClaim(), org))
            .orElse(Map.of());
    return new TokenResult.Valid(
        new VerifiedToken(
            session.userId(),
            session.createdAt(),
            session.expiresAt(),
            claims,
            VerifiedToken.Kind.SESSION));
  }

  /** Guards against cache ageing and the wall clock disagreeing: expiry always wins. */
  private TokenResult stillValid(TokenResult result) {
    if (result instanceof TokenResult.Valid valid
        && !valid.token().expiresAt().isAfter(clock.instant())) {
      return UNKNOWN;
    }
    return result;
  }

  private Duration lifetime(TokenResult result) {
    if (result instanceof TokenResult.Valid valid) {
      Duration left = Duration.between(clock.instant(), valid.token().expiresAt());
      Duration ttl = left.compareTo(options.cacheTtl()) < 0 ? left : options.cacheTtl();
      return ttl.isNegative() ? Duration.ZERO : ttl;
    }
    return options.negativeTtl();
  }

  private static boolean belongsTo(CompletableFuture<TokenResult> future, String userId) {
    if (!future.isDone()) {
      return true;
    }
    if (future.isCompletedExceptionally()) {
      return false;
    }
    return future.join() instanceof TokenResult.Valid valid
        && valid.token().subject().equals(userId);
  }
}
