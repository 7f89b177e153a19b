package dev.betterauthz.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.tenancy.BackendUnavailableException;
import dev.betterauthz.testsupport.TestServices;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Session tokens against a real PostgreSQL loaded with Better Auth's plural snake_case schema. */
class SessionTokenVerifierIT {
  private static final String SECRET = "it-better-auth-secret-0123456789abcdef";
  private static final String ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

  private static Vertx vertx;
  private static String url;
  private static Pool pool;
  private static String userId;

  private final CountingRepository repository =
      new CountingRepository(PgSessionRepository.pluralSnake(pool, QUERY_TIMEOUT));
  private final SessionTokenVerifier verifier = new SessionTokenVerifier(repository, options());

  @BeforeAll
  static void database() {
    url = TestServices.createDatabase("sessions", "/schema/better-auth-plural-snake.sql");
    vertx = Vertx.vertx();
    pool = pool(PgConnectOptions.fromUri(url));
    userId = randomId();
    TestServices.run(
        url,
        "INSERT INTO users (id, name, email, email_verified, created_at, updated_at, role, banned)"
            + " VALUES ('%s', 'Ada', 'ada@example.com', true, now(), now(), 'user', false)"
                .formatted(userId));
  }

  @AfterAll
  static void close() {
    pool.close().await();
    vertx.close().await();
  }

  private static Pool pool(PgConnectOptions connect) {
    return PgBuilder.pool()
        .connectingTo(connect)
        .with(new PoolOptions().setMaxSize(2))
        .using(vertx)
        .build();
  }

  private static SessionOptions options() {
    return new SessionOptions(
        SECRET, false, Duration.ofSeconds(30), Duration.ofSeconds(5), 1000, "organizationId");
  }

  static String randomId() {
    StringBuilder id = new StringBuilder(32);
    for (int i = 0; i < 32; i++) {
      id.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
    }
    return id.toString();
  }

  /** Inserts a session row as Better Auth does on sign-in and returns its raw token. */
  private static String insertSession(String expiresIn, String activeOrganizationId) {
    String token = randomId();
    String org = activeOrganizationId == null ? "NULL" : "'" + activeOrganizationId + "'";
    TestServices.run(
        url,
        ("INSERT INTO sessions (id, expires_at, token, created_at, updated_at, ip_address,"
                + " user_agent, user_id, active_organization_id) VALUES ('%s', now() + interval"
                + " '%s', '%s', now(), now(), '127.0.0.1', 'it', '%s', %s)")
            .formatted(randomId(), expiresIn, token, userId, org));
    return token;
  }

  private static String signedCookieValue(String token) throws Exception {
    return SessionCookiesTest.encodeUriComponent(
        token + "." + SessionCookiesTest.signature(SECRET, token));
  }

  private static TokenResult await(CompletionStage<TokenResult> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static VerifiedToken valid(TokenResult result) {
    assertThat(result).isInstanceOf(TokenResult.Valid.class);
    return ((TokenResult.Valid) result).token();
  }

  private static void assertInvalidSession(TokenResult result) {
    assertThat(result).isInstanceOf(TokenResult.Invalid.class);
    assertThat(((TokenResult.Invalid) result).reason()).isEqualTo(DenyReason.INVALID_SESSION);
  }

  @Test
  void acceptsSignedCookieFromHeader() throws Exception {
    String token = insertSession("7 days", null);
    String header = "theme=dark; better-auth.session_token=" + signedCookieValue(token);
    String value = SessionCookies.find(header, "better-auth").orElseThrow();

    VerifiedToken verified = valid(await(verifier.verify(SessionCredential.cookie(value))));

    assertThat(verified.subject()).isEqualTo(userId);
    assertThat(verified.kind()).isEqualTo(VerifiedToken.Kind.SESSION);
    assertThat(verified.expiresAt()).isAfter(Instant.now().plus(6, ChronoUnit.DAYS));
    assertThat(verified.issuedAt()).isBefore(Instant.now().plusSeconds(1));
    assertThat(verified.claims()).isEmpty();
  }

  @Test
  void acceptsRawBearer() throws Exception {
    String token = insertSession("1 day", null);
    assertThat(valid(await(verifier.verify(SessionCredential.bearer(token)))).subject())
        .isEqualTo(userId);
  }

  @Test
  void acceptsSignedBearerEncodedOrNot() throws Exception {
    String token = insertSession("1 day", null);
    String plain = token + "." + SessionCookiesTest.signature(SECRET, token);
    valid(await(verifier.verify(SessionCredential.bearer(plain))));
    valid(await(verifier.verify(SessionCredential.bearer(signedCookieValue(token)))));
  }

  @Test
  void rejectsTamperedSignatureWithoutQuery() throws Exception {
    String token = insertSession("1 day", null);
    String forged = token + "." + SessionCookiesTest.signature("not-the-secret", token);

    assertInvalidSession(await(verifier.verify(SessionCredential.cookie(forged))));
    assertInvalidSession(await(verifier.verify(SessionCredential.bearer(forged))));

    assertThat(repository.queries.get()).isZero();
  }

  @Test
  void rejectsTamperedSignatureEvenWhenDatabaseIsDown() throws Exception {
    Pool dead = pool(new PgConnectOptions().setHost("127.0.0.1").setPort(closedPort()));
    try {
      var offline =
          new SessionTokenVerifier(PgSessionRepository.pluralSnake(dead, QUERY_TIMEOUT), options());
      String token = randomId();
      String forged = token + "." + SessionCookiesTest.signature("not-the-secret", token);
      // A query would fail the stage; an Invalid answer proves none was attempted.
      assertInvalidSession(await(offline.verify(SessionCredential.cookie(forged))));
    } finally {
      dead.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void rejectsExpiredSession() throws Exception {
    String token = insertSession("-1 minute", null);
    assertInvalidSession(await(verifier.verify(SessionCredential.bearer(token))));
    assertThat(repository.queries.get()).isEqualTo(1);
  }

  @Test
  void rejectsUnknownSession() throws Exception {
    assertInvalidSession(await(verifier.verify(SessionCredential.bearer(randomId()))));
  }

  @Test
  void rejectsDeletedSessionAfterEviction() throws Exception {
    String token = insertSession("1 day", null);
    SessionCredential credential = SessionCredential.cookie(signedCookieValue(token));
    valid(await(verifier.verify(credential)));

    TestServices.run(url, "DELETE FROM sessions WHERE token = '" + token + "'");
    valid(await(verifier.verify(credential))); // still cached: no event yet
    verifier.evictToken(token); // session.revoked

    assertInvalidSession(await(verifier.verify(credential)));
    assertThat(repository.queries.get()).isEqualTo(2);
  }

  @Test
  void carriesActiveOrganization() throws Exception {
    String orgId = randomId();
    TestServices.run(
        url,
        "INSERT INTO organizations (id, name, slug, created_at) VALUES ('%s', 'Acme', '%s', now())"
            .formatted(orgId, "acme-" + orgId.toLowerCase()));
    String token = insertSession("1 day", orgId);

    VerifiedToken verified = valid(await(verifier.verify(SessionCredential.bearer(token))));

    assertThat(verified.claims()).isEqualTo(Map.of("organizationId", orgId));
    assertThat(verified.stringClaim("organizationId")).contains(orgId);
  }

  @Test
  void failsWithBackendUnavailableWhenDatabaseIsUnreachable() throws Exception {
    Pool dead = pool(new PgConnectOptions().setHost("127.0.0.1").setPort(closedPort()));
    try {
      var offline =
          new SessionTokenVerifier(PgSessionRepository.pluralSnake(dead, QUERY_TIMEOUT), options());
      var stage = offline.verify(SessionCredential.bearer(randomId())).toCompletableFuture();
      assertThatThrownBy(() -> stage.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(BackendUnavailableException.class);
    } finally {
      dead.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void failsWithBackendUnavailableWhenDatabaseDoesNotAnswerInTime() throws Exception {
    // Accepts TCP connections (kernel backlog) but never speaks the PostgreSQL protocol.
    ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Pool stuck = pool(new PgConnectOptions().setHost("127.0.0.1").setPort(silent.getLocalPort()));
    try {
      var repository = PgSessionRepository.pluralSnake(stuck, Duration.ofMillis(300));
      var stage = repository.findByToken(randomId()).toCompletableFuture();
      assertThatThrownBy(() -> stage.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(BackendUnavailableException.class)
          .hasMessageNotContaining("token");
    } finally {
      silent.close(); // resets the half-open connection, so the pool can close
      stuck.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void readsBetterAuthDefaultNaming() throws Exception {
    TestServices.run(
        url,
        "CREATE TABLE \"session\" (\"id\" text PRIMARY KEY, \"expiresAt\" timestamptz NOT NULL,"
            + " \"token\" text NOT NULL UNIQUE, \"createdAt\" timestamptz NOT NULL,"
            + " \"userId\" text NOT NULL, \"activeOrganizationId\" text)");
    String token = randomId();
    TestServices.run(
        url,
        ("INSERT INTO \"session\" VALUES ('%s', now() + interval '1 day', '%s', now(), '%s',"
                + " 'org-x')")
            .formatted(randomId(), token, userId));
    var repository = PgSessionRepository.betterAuthDefault(pool, QUERY_TIMEOUT);

    SessionRow row =
        repository.findByToken(token).toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();

    assertThat(row.userId()).isEqualTo(userId);
    assertThat(row.activeOrganizationId()).contains("org-x");
    assertThat(repository.sql()).contains("FROM \"session\" WHERE \"token\" = $1");
  }

  @Test
  void naiveTimestampsAreUtcAndAWrongSessionTimeZoneNeverExtendsASession() throws Exception {
    // Drizzle's schema: timestamp without time zone holding UTC wall-clock time.
    TestServices.run(
        url,
        "CREATE TABLE sessions_naive (token text PRIMARY KEY, user_id text NOT NULL,"
            + " expires_at timestamp NOT NULL, created_at timestamp NOT NULL,"
            + " active_organization_id text)");
    String expired = randomId();
    String live = randomId();
    TestServices.run(
        url,
        ("INSERT INTO sessions_naive VALUES"
                + " ('%s', '%s', (now() AT TIME ZONE 'UTC') - interval '1 hour',"
                + " now() AT TIME ZONE 'UTC', NULL),"
                + " ('%s', '%s', (now() AT TIME ZONE 'UTC') + interval '1 day',"
                + " now() AT TIME ZONE 'UTC', NULL)")
            .formatted(expired, userId, live, userId));
    // A connection west of UTC makes the SQL see the expired row as valid for hours more.
    Pool newYork = pool(PgConnectOptions.fromUri(url).addProperty("TimeZone", "America/New_York"));
    try {
      var names =
          new PgSessionRepository.Names(
              "sessions_naive",
              "token",
              "user_id",
              "expires_at",
              "created_at",
              "active_organization_id");
      var repository = new PgSessionRepository(newYork, names, QUERY_TIMEOUT);
      assertThat(repository.findByToken(expired).toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isPresent(); // the caveat: SQL alone is fooled
      var naive = new SessionTokenVerifier(repository, options());

      assertInvalidSession(await(naive.verify(SessionCredential.bearer(expired))));
      VerifiedToken verified = valid(await(naive.verify(SessionCredential.bearer(live))));
      Instant inADay = Instant.now().plus(Duration.ofDays(1));
      assertThat(verified.expiresAt()).isBetween(inADay.minusSeconds(60), inADay.plusSeconds(60));
    } finally {
      newYork.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Counts lookups that reach the real repository. */
  private static final class CountingRepository implements SessionRepository {
    final AtomicInteger queries = new AtomicInteger();
    private final SessionRepository delegate;

    CountingRepository(SessionRepository delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletionStage<Optional<SessionRow>> findByToken(String token) {
      queries.incrementAndGet();
      return delegate.findByToken(token);
    }
  }
}
