package dev.betterauthz.token;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.betterauthz.decision.DenyReason;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
      TokenResult.invalid(
          DenyReason.INVALID_SESSION, "session credential malformed or badly signed");
  private static final TokenResult UNKNOWN =
      TokenResult.invalid(DenyReason.INVALID_SESSION, "session unknown or expired");

  private final SessionRepository repository;
  private final SessionOptions options;
  private final SecretKey key;
  private final Clock clock;
  private final AsyncCache<String, Outcome> cache;

  /**
   * A finished lookup. A failure is kept as a value (expiring at once) so that the requests sharing
   * the lookup all see it, and so that the cache does not log every failed load.
   */
  private record Outcome(TokenResult result, Throwable failure) {}

  /** A verifier on the system clock. */
  public SessionTokenVerifier(SessionRepository repository, SessionOptions options) {
    this(repository, options, Clock.systemUTC(), Ticker.systemTicker());
  }

  /** For tests: {@code clock} judges expiry, {@code ticker} drives cache ageing. */
  SessionTokenVerifier(
      SessionRepository repository, SessionOptions options, Clock clock, Ticker ticker) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.key = SessionCookies.signingKey(options.secret());
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(options.maxEntries())
            .ticker(Objects.requireNonNull(ticker, "ticker"))
            .expireAfter(Expiry.creating((String token, Outcome outcome) -> lifetime(outcome)))
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
    return cache.get(token.get(), (t, executor) -> lookup(t)).thenCompose(this::answer);
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

  private CompletableFuture<Outcome> lookup(String token) {
    CompletionStage<Optional<SessionRow>> stage;
    try {
      stage = repository.findByToken(token);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return stage
        .handle(
            (row, error) ->
                error == null ? new Outcome(toResult(row), null) : new Outcome(null, cause(error)))
        .toCompletableFuture();
  }

  private static Throwable cause(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
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

  /** Fails on a lookup failure; otherwise the result, where expiry always wins over the cache. */
  private CompletionStage<TokenResult> answer(Outcome outcome) {
    if (outcome.failure() != null) {
      return CompletableFuture.failedFuture(outcome.failure());
    }
    TokenResult result = outcome.result();
    if (result instanceof TokenResult.Valid valid
        && !valid.token().expiresAt().isAfter(clock.instant())) {
      return CompletableFuture.completedFuture(UNKNOWN);
    }
    return CompletableFuture.completedFuture(result);
  }

  private Duration lifetime(Outcome outcome) {
    if (outcome.failure() != null) {
      return Duration.ZERO;
    }
    if (outcome.result() instanceof TokenResult.Valid valid) {
      Duration left = Duration.between(clock.instant(), valid.token().expiresAt());
      Duration ttl = left.compareTo(options.cacheTtl()) < 0 ? left : options.cacheTtl();
      return ttl.isNegative() ? Duration.ZERO : ttl;
    }
    return options.negativeTtl();
  }

  private static boolean belongsTo(CompletableFuture<Outcome> future, String userId) {
    if (!future.isDone() || future.isCompletedExceptionally()) {
      return true;
    }
    return future.join().result() instanceof TokenResult.Valid valid
        && valid.token().subject().equals(userId);
  }
}
