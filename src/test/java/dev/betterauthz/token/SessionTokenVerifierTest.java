package dev.betterauthz.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.betterauthz.config.AppConfig.SessionConfig;
import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.tenancy.BackendUnavailableException;
import dev.betterauthz.testsupport.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionTokenVerifierTest {
  private static final String SECRET = "unit-test-secret-0123456789abcdef";
  private static final String TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
  private static final String OTHER_TOKEN = "ZyXwVuTsRqPoNmLkJiHgFeDcBa543210";
  private static final Duration TTL = Duration.ofSeconds(60);
  private static final Duration NEGATIVE_TTL = Duration.ofSeconds(5);

  private final MutableClock time = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeRepository repository = new FakeRepository(time);

  private SessionTokenVerifier verifier(boolean requireSignature) {
    var options =
        new SessionOptions(SECRET, requireSignature, TTL, NEGATIVE_TTL, 1000, "organizationId");
    return new SessionTokenVerifier(repository, options, time, time);
  }

  private static SessionCredential cookie(String token) throws Exception {
    return SessionCredential.cookie(
        SessionCookiesTest.encodeUriComponent(
            token + "." + SessionCookiesTest.signature(SECRET, token)));
  }

  private static TokenResult await(CompletionStage<TokenResult> stage) throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private SessionRow session(String userId, Duration lifetime, String org) {
    return new SessionRow(
        userId, time.instant().plus(lifetime), time.instant(), Optional.ofNullable(org));
  }

  @Test
  void verifiesSignedCookieAndCarriesActiveOrganization() throws Exception {
    SessionRow row = session("user-1", Duration.ofDays(7), "org-1");
    repository.rows.put(TOKEN, row);

    TokenResult result = await(verifier(false).verify(cookie(TOKEN)));

    assertThat(result).isInstanceOf(TokenResult.Valid.class);
    VerifiedToken token = ((TokenResult.Valid) result).token();
    assertThat(token.subject()).isEqualTo("user-1");
    assertThat(token.issuedAt()).isEqualTo(row.createdAt());
    assertThat(token.expiresAt()).isEqualTo(row.expiresAt());
    assertThat(token.kind()).isEqualTo(VerifiedToken.Kind.SESSION);
    assertThat(token.claims()).isEqualTo(Map.of("organizationId", "org-1"));
  }

  @Test
  void omitsOrganizationClaimWhenNoneIsActive() throws Exception {
    repository.rows.put(TOKEN, session("user-1", Duration.ofDays(7), null));
    TokenResult result = await(verifier(false).verify(cookie(TOKEN)));
    assertThat(((TokenResult.Valid) result).token().claims()).isEmpty();
  }

  @Test
  void rejectsBadSignatureWithoutLookup() throws Exception {
    repository.rows.put(TOKEN, session("user-1", Duration.ofDays(7), null));
    String forged = TOKEN + "." + SessionCookiesTest.signature("wrong-secret", TOKEN);

    TokenResult cookieResult = await(verifier(false).verify(SessionCredential.cookie(forged)));
    TokenResult bearerResult = await(verifier(false).verify(SessionCredential.bearer(forged)));
    TokenResult rawCookie = await(verifier(false).verify(SessionCredential.cookie(TOKEN)));

    for (TokenResult result : new TokenResult[] {cookieResult, bearerResult, rawCookie}) {
      assertThat(result).isInstanceOf(TokenResult.Invalid.class);
      assertThat(((TokenResult.Invalid) result).reason()).isEqualTo(DenyReason.INVALID_SESSION);
    }
    assertThat(repository.lookups.get()).isZero();
  }

  @Test
  void acceptsRawBearerUnlessSignatureRequired() throws Exception {
    repository.rows.put(TOKEN, session("user-1", Duration.ofDays(7), null));
    assertThat(await(verifier(false).verify(SessionCredential.bearer(TOKEN))))
        .isInstanceOf(TokenResult.Valid.class);
    assertThat(await(verifier(true).verify(SessionCredential.bearer(TOKEN))))
        .isInstanceOf(TokenResult.Invalid.class);
  }

  @Test
  void cachesValidSessionForTtl() throws Exception {
    repository.rows.put(TOKEN, session("user-1", Duration.ofDays(7), null));
    SessionTokenVerifier verifier = verifier(false);
    await(verifier.verify(cookie(TOKEN)));
    repository.rows.remove(TOKEN); // signed out without an event

    assertThat(await(verifier.verify(cookie(TOKEN)))).isInstanceOf(TokenResult.Valid.class);
    assertThat(repository.lookups.get()).isEqualTo(1);

    time.advance(TTL.plusSeconds(1));
    assertThat(await(verifier.verify(cookie(TOKEN)))).isInstanceOf(TokenResult.Invalid.class);
    assertThat(repository.lookups.get()).isEqualTo(2);
  }

  @Test
  void neverCachesPastSessionExpiry() throws Exception {
    repository.rows.put(TOKEN, session("user-1", Duration.ofSeconds(10), null));
    SessionTokenVerifier verifier = verifier(false);
    assertThat(await(verifier.verify(cookie(TOKEN)))).isInstanceOf(TokenResult.Valid.class);

    time.advance(Duration.ofSeconds(10));

    assertThat(await(verifier.verify(cookie(TOKEN)))).isInstanceOf(TokenResult.Invalid.class);
    assertThat(repository.lookups.get()).isEqualTo(2);
  }

  @Test
  void cachesUnknownSessionBriefly() throws Exception {
    SessionTokenVerifier verifier = verifier(false);
    assertThat(await(verifier.verify(cookie(TOKEN)))).isInstanceOf(TokenResult.Invalid.class);
    repository.rows.put(TOKEN, session("user-1", Duration.ofDays(7), null));

    assertThat(await(verifier.verify(cookie(TOKEN)))).isInstanceOf(TokenResult.Invalid.class);
    assertThat(repository.lookups.get()).isEqualTo(1);

    time.advance(NEGATIVE_TTL.plusSeconds(1));
    assertThat(await(verifier.verify(cookie(TOKEN)))).isInstanceOf(TokenResult.Valid.class);
    assertThat(repository.lookups.get()).isEqualTo(2);
  }

  @Test
  void evictTokenForgetsOneSession() throws Exception {
    repository.rows.put(TOKEN, session("user-1", Duration.ofDays(7), null));
    repository.rows.put(OTHER_TOKEN, session("user-1", Duration.ofDays(7), null));
    SessionTokenVerifier verifier = verifier(false);
    await(verifier.verify(cookie(TOKEN)));
    await(verifier.verify(cookie(OTHER_TOKEN)));
    repository.rows.remove(TOKEN);

    verifier.evictToken(TOKEN);

    assertThat(await(verifier.verify(cookie(TOKEN)))).isInstanceOf(TokenResult.Invalid.class);
    assertThat(await(verifier.verify(cookie(OTHER_TOKEN)))).isInstanceOf(TokenResult.Valid.class);
    assertThat(repository.lookups.get()).isEqualTo(3);
  }

  @Test
  void evictTokenAcceptsSignedForm() throws Exception {
    repository.rows.put(TOKEN, session("user-1", Duration.ofDays(7), null));
    SessionTokenVerifier verifier = verifier(false);
    await(verifier.verify(cookie(TOKEN)));
    repository.rows.remove(TOKEN);

    verifier.evictToken(cookie(TOKEN).value());

    assertThat(await(verifier.verify(cookie(TOKEN)))).isInstanceOf(TokenResult.Invalid.class);
  }

  @Test
  void evictUserForgetsOnlyThatUsersSessions() throws Exception {
    repository.rows.put(TOKEN, session("user-1", Duration.ofDays(7), null));
    repository.rows.put(OTHER_TOKEN, session("user-2", Duration.ofDays(7), null));
    SessionTokenVerifier verifier = verifier(false);
    await(verifier.verify(cookie(TOKEN)));
    await(verifier.verify(cookie(OTHER_TOKEN)));
    repository.rows.clear(); // banned: Better Auth deletes the sessions

    verifier.evictUser("user-1");

    assertThat(await(verifier.verify(cookie(TOKEN)))).isInstanceOf(TokenResult.Invalid.class);
    assertThat(await(verifier.verify(cookie(OTHER_TOKEN)))).isInstanceOf(TokenResult.Valid.class);
  }

  @Test
  void evictionWinsOverLookupInFlight() throws Exception {
    SessionTokenVerifier verifier = verifier(false);
    CompletableFuture<Optional<SessionRow>> pending = new CompletableFuture<>();
    repository.next = pending;
    CompletionStage<TokenResult> first = verifier.verify(cookie(TOKEN));

    verifier.evictUser("user-1");
    pending.complete(Optional.of(session("user-1", Duration.ofDays(7), null)));

    assertThat(await(first)).isInstanceOf(TokenResult.Valid.class); // began before the event
    assertThat(await(verifier.verify(cookie(TOKEN)))).isInstanceOf(TokenResult.Invalid.class);
    assertThat(repository.lookups.get()).isEqualTo(2);
  }

  @Test
  void concurrentLookupsOfOneTokenShareOneQuery() throws Exception {
    SessionTokenVerifier verifier = verifier(false);
    CompletableFuture<Optional<SessionRow>> pending = new CompletableFuture<>();
    repository.next = pending;
    CompletionStage<TokenResult> first = verifier.verify(cookie(TOKEN));
    CompletionStage<TokenResult> second = verifier.verify(SessionCredential.bearer(TOKEN));

    pending.complete(Optional.of(session("user-1", Duration.ofDays(7), null)));

    assertThat(await(first)).isInstanceOf(TokenResult.Valid.class);
    assertThat(await(second)).isInstanceOf(TokenResult.Valid.class);
    assertThat(repository.lookups.get()).isEqualTo(1);
  }

  @Test
  void failsWithBackendUnavailableAndDoesNotCacheFailure() throws Exception {
    SessionTokenVerifier verifier = verifier(false);
    repository.next = CompletableFuture.failedFuture(new BackendUnavailableException("down"));

    CompletableFuture<TokenResult> failed = verifier.verify(cookie(TOKEN)).toCompletableFuture();

    assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(BackendUnavailableException.class);
    repository.rows.put(TOKEN, session("user-1", Duration.ofDays(7), null));
    assertThat(await(verifier.verify(cookie(TOKEN)))).isInstanceOf(TokenResult.Valid.class);
    assertThat(repository.lookups.get()).isEqualTo(2);
  }

  @Test
  void derivesOptionsFromSettingsAndMasksSecret() {
    var config = new SessionConfig(Optional.of(SECRET), "better-auth", Duration.ofSeconds(30));
    var options = SessionOptions.of(config, "organizationId", 100);
    assertThat(options.negativeTtl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(options.requireSignature()).isFalse();
    assertThat(options.toString()).doesNotContain(SECRET);
    var shortTtl = new SessionConfig(Optional.of(SECRET), "better-auth", Duration.ofSeconds(4));
    assertThat(SessionOptions.of(shortTtl, "o", 1).negativeTtl()).isEqualTo(Duration.ofSeconds(2));
    var disabled = new SessionConfig(Optional.empty(), "better-auth", Duration.ofSeconds(30));
    assertThatThrownBy(() -> SessionOptions.of(disabled, "o", 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void credentialNeverPrintsItsValue() {
    assertThat(SessionCredential.bearer(TOKEN).toString()).doesNotContain(TOKEN);
  }

  /** In-memory session table that answers like the SQL (only unexpired rows). */
  static final class FakeRepository implements SessionRepository {
    final Map<String, SessionRow> rows = new ConcurrentHashMap<>();
    final AtomicInteger lookups = new AtomicInteger();
    volatile CompletableFuture<Optional<SessionRow>> next;
    private final Clock clock;

    FakeRepository(Clock clock) {
      this.clock = clock;
    }

    @Override
    public CompletionStage<Optional<SessionRow>> findByToken(String token) {
      lookups.incrementAndGet();
      CompletableFuture<Optional<SessionRow>> scripted = next;
      if (scripted != null) {
        next = null;
        return scripted;
      }
      SessionRow row = rows.get(token);
      boolean live = row != null && row.expiresAt().isAfter(clock.instant());
      return CompletableFuture.completedFuture(live ? Optional.of(row) : Optional.empty());
    }
  }
}
