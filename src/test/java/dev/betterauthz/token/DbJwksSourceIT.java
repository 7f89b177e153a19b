package dev.betterauthz.token;

import static dev.betterauthz.token.TestJwts.NOW;
import static dev.betterauthz.token.TestJwts.claims;
import static dev.betterauthz.token.TestJwts.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.betterauthz.config.AppConfig.JwtConfig;
import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.testsupport.MutableClock;
import dev.betterauthz.testsupport.TestServices;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code jwks} table source against real PostgreSQL, connected as a role that may read every
 * column of {@code jwks} except {@code private_key}: any query touching that column would fail.
 */
class DbJwksSourceIT {
  private final MutableClock clock = new MutableClock(NOW);
  private final String role =
      "jwks_reader_" + ProcessHandle.current().pid() + "_" + System.nanoTime();
  private String url;
  private Vertx vertx;
  private Pool pool;
  private DbJwksSource source;
  private Jose4jTokenVerifier verifier;

  @BeforeEach
  void setUp() {
    url = TestServices.createDatabase("token_jwks", "/schema/better-auth-plural-snake.sql");
    TestServices.run(
        url,
        "CREATE ROLE "
            + role
            + " LOGIN; GRANT USAGE ON SCHEMA public TO "
            + role
            + "; GRANT SELECT (id, public_key, created_at, expires_at, alg, crv) ON jwks TO "
            + role);
    vertx = Vertx.vertx();
    pool =
        PgBuilder.pool()
            .connectingTo(PgConnectOptions.fromUri(url).setUser(role))
            .with(new PoolOptions().setMaxSize(2))
            .using(vertx)
            .build();
  }

  @AfterEach
  void tearDown() {
    if (source != null) {
      source.close();
    }
    pool.close().toCompletionStage().toCompletableFuture().join();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    TestServices.run(
        url, "REVOKE ALL ON jwks FROM " + role + "; REVOKE ALL ON SCHEMA public FROM " + role);
    TestServices.run(TestServices.databaseUrl(), "DROP ROLE IF EXISTS " + role);
  }

  @Test
  void theReaderRoleCannotSeePrivateKeys() {
    insert("k-ed", TestJwts.ed25519Unchecked(), null, null, null);
    assertThatThrownBy(
            () ->
                pool.query("SELECT private_key FROM jwks")
                    .execute()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS))
        .hasMessageContaining("permission denied");
  }

  @Test
  void readsAnEdDsaKeyWhoseAlgIsNull() throws Exception {
    PublicJsonWebKey ed = TestJwts.ed25519("k-ed");
    insert("k-ed", ed, null, "Ed25519", null);
    start();
    assertThat(valid(sign(ed, "EdDSA", claims()))).isTrue();
    assertThat(reasonOf(sign(TestJwts.rsa("k-ed", 2048), "RS256", claims())))
        .isEqualTo(DenyReason.DISALLOWED_ALGORITHM);
  }

  @Test
  void picksUpARotatedKey() throws Exception {
    PublicJsonWebKey old = TestJwts.ed25519("k-1");
    insert("k-1", old, null, null, NOW.plus(Duration.ofDays(1)));
    start();
    PublicJsonWebKey next = TestJwts.ec("k-2", EllipticCurves.P_256);
    insert("k-2", next, "ES256", "P-256", NOW.plus(Duration.ofDays(8)));
    assertThat(valid(sign(next, "ES256", claims()))).isTrue();
    assertThat(valid(sign(old, "EdDSA", claims()))).isTrue();
    assertThat(source.fetchSuccesses()).isEqualTo(2);
  }

  @Test
  void servesAnExpiredKeyOnlyWithinItsGrace() throws Exception {
    PublicJsonWebKey recent = TestJwts.ed25519("recent");
    PublicJsonWebKey ancient = TestJwts.ed25519("ancient");
    insert("recent", recent, "EdDSA", "Ed25519", NOW.minus(Duration.ofDays(29)));
    insert("ancient", ancient, "EdDSA", "Ed25519", NOW.minus(Duration.ofDays(31)));
    start();
    assertThat(valid(sign(recent, "EdDSA", claims()))).isTrue();
    assertThat(reasonOf(sign(ancient, "EdDSA", claims()))).isEqualTo(DenyReason.UNKNOWN_KEY);

    // The grace ends while the key is loaded: it stops verifying without waiting for a refresh.
    clock.advance(Duration.ofDays(1).plusMinutes(1));
    java.util.Map<String, Object> later = claims();
    later.put("iat", clock.instant().getEpochSecond());
    later.put("exp", clock.instant().getEpochSecond() + 900);
    assertThat(reasonOf(sign(recent, "EdDSA", later))).isEqualTo(DenyReason.UNKNOWN_KEY);
  }

  private void start() throws Exception {
    JwtConfig config = TestJwts.config(null);
    source =
        new DbJwksSource(
            config, pool, DbJwksSource.Columns.pluralSnake(), DbJwksSource.DEFAULT_GRACE, clock);
    source.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
    verifier = new Jose4jTokenVerifier(config, source, clock);
  }

  private boolean valid(String token) throws Exception {
    return verifier.verify(token).toCompletableFuture().get(10, TimeUnit.SECONDS)
        instanceof TokenResult.Valid;
  }

  private DenyReason reasonOf(String token) throws Exception {
    TokenResult result = verifier.verify(token).toCompletableFuture().get(10, TimeUnit.SECONDS);
    return result instanceof TokenResult.Invalid invalid ? invalid.reason() : null;
  }

  /** A row as Better Auth writes it: public JWK without kid, encrypted private key as text. */
  private void insert(String id, PublicJsonWebKey key, String alg, String crv, Instant expires) {
    java.util.Map<String, Object> jwk = key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    jwk.remove("kid");
    String publicKey = org.jose4j.json.JsonUtil.toJson(jwk);
    TestServices.run(
        url,
        "INSERT INTO jwks (id, public_key, private_key, created_at, expires_at, alg, crv) VALUES ("
            + literal(id)
            + ", "
            + literal(publicKey)
            + ", '\"9f2c1d0e-ciphertext-hex\"', now(), "
            + (expires == null ? "NULL" : literal(expires.toString()) + "::timestamptz")
            + ", "
            + (alg == null ? "NULL" : literal(alg))
            + ", "
            + (crv == null ? "NULL" : literal(crv))
            + ")");
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
