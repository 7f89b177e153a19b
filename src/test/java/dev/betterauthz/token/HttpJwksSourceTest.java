package dev.betterauthz.token;

import static dev.betterauthz.token.TestJwts.b64;
import static dev.betterauthz.token.TestJwts.claims;
import static dev.betterauthz.token.TestJwts.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.testsupport.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;

class HttpJwksSourceTest {

  @Test
  void picksUpARotatedKeyWithOneRefetch() throws Exception {
    PublicJsonWebKey k1 = TestJwts.ed25519("k1");
    PublicJsonWebKey k2 = TestJwts.ed25519("k2");
    try (VerifierFixture f = new VerifierFixture(List.of(k1))) {
      assertThat(f.server.requests()).isEqualTo(1);
      f.server.serve(List.of(k1, k2));
      assertThat(f.valid(sign(k2, "EdDSA", claims())).subject()).isEqualTo("user-1");
      assertThat(f.valid(sign(k1, "EdDSA", claims())).subject()).isEqualTo("user-1");
      assertThat(f.server.requests()).isEqualTo(2);
      assertThat(f.source.unknownKids()).isEqualTo(1);
    }
  }

  @Test
  void neverBlocksTheCallerWhileAnUnknownKidIsFetched() throws Exception {
    PublicJsonWebKey k1 = TestJwts.ed25519("k1");
    PublicJsonWebKey k2 = TestJwts.ed25519("k2");
    try (VerifierFixture f = new VerifierFixture(List.of(k1))) {
      f.server.serve(List.of(k1, k2));
      CountDownLatch release = f.server.hold();
      CompletableFuture<TokenResult> pending =
          f.verifier.verify(sign(k2, "EdDSA", claims())).toCompletableFuture();
      assertThat(pending).isNotDone();
      release.countDown();
      assertThat(pending.get(10, TimeUnit.SECONDS)).isInstanceOf(TokenResult.Valid.class);
    }
  }

  @Test
  void keepsServingTheLastGoodKeysDuringAnOutageUntilMaxStale() throws Exception {
    PublicJsonWebKey k1 = TestJwts.ed25519("k1");
    try (VerifierFixture f = new VerifierFixture(List.of(k1))) {
      String cached = sign(k1, "EdDSA", claims());
      assertThat(f.valid(cached).subject()).isEqualTo("user-1");
      f.server.failWith(500);
      assertThatThrownBy(() -> f.source.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .hasMessageContaining("500");
      assertThat(f.source.fetchFailures()).isEqualTo(1);
      f.clock.advance(Duration.ofMinutes(9));
      assertThat(f.source.isReady()).isTrue();
      Map<String, Object> other = claims();
      other.put("sub", "user-2");
      assertThat(f.valid(sign(k1, "EdDSA", other)).subject()).isEqualTo("user-2");

      f.clock.advance(Duration.ofMinutes(2)); // 11 minutes after the last success > maxStale 10
      assertThat(f.source.isReady()).isFalse();
      assertThat(f.reasonOf(cached)).isEqualTo(DenyReason.UNKNOWN_KEY);
      other.put("sub", "user-3");
      assertThat(f.reasonOf(sign(k1, "EdDSA", other))).isEqualTo(DenyReason.UNKNOWN_KEY);

      f.server.failWith(200);
      f.source.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(f.source.isReady()).isTrue();
      assertThat(f.source.lastSuccess()).isEqualTo(f.clock.instant());
      assertThat(f.valid(cached).subject()).isEqualTo("user-1");
    }
  }

  @Test
  void refusesEverythingAfterMaxStaleWhenTheIssuerIsGone() throws Exception {
    PublicJsonWebKey k1 = TestJwts.ed25519("k1");
    try (VerifierFixture f = new VerifierFixture(List.of(k1))) {
      f.server.close();
      assertThatThrownBy(() -> f.source.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isNotNull();
      assertThat(f.valid(sign(k1, "EdDSA", claims())).subject()).isEqualTo("user-1");
      f.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
      assertThat(f.source.isReady()).isFalse();
      assertThat(f.reasonOf(sign(k1, "EdDSA", claims()))).isEqualTo(DenyReason.UNKNOWN_KEY);
    }
  }

  @Test
  void aFloodOfRandomKidsCausesAtMostOneFetchPerInterval() throws Exception {
    PublicJsonWebKey k1 = TestJwts.ed25519("k1");
    try (VerifierFixture f = new VerifierFixture(List.of(k1))) {
      List<CompletableFuture<TokenResult>> results = new ArrayList<>();
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        tokens.add(tokenWithKid(UUID.randomUUID().toString()));
      }
      tokens.parallelStream()
          .map(t -> f.verifier.verify(t).toCompletableFuture())
          .forEachOrdered(results::add);
      for (CompletableFuture<TokenResult> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS))
            .isInstanceOfSatisfying(
                TokenResult.Invalid.class,
                r -> assertThat(r.reason()).isEqualTo(DenyReason.UNKNOWN_KEY));
      }
      assertThat(f.server.requests()).isBetween(1, 2);
      assertThat(f.source.unknownKids()).isEqualTo(1000);

      int before = f.server.requests();
      f.clock.advance(Duration.ofSeconds(31));
      assertThat(f.reasonOf(tokenWithKid("fresh-1"))).isEqualTo(DenyReason.UNKNOWN_KEY);
      assertThat(f.reasonOf(tokenWithKid("fresh-2"))).isEqualTo(DenyReason.UNKNOWN_KEY);
      assertThat(f.server.requests()).isEqualTo(before + 1);
    }
  }

  @Test
  void remembersAnUnknownKidUntilTheNextSuccessfulFetch() throws Exception {
    PublicJsonWebKey k1 = TestJwts.ed25519("k1");
    try (VerifierFixture f = new VerifierFixture(List.of(k1))) {
      assertThat(f.reasonOf(tokenWithKid("ghost"))).isEqualTo(DenyReason.UNKNOWN_KEY);
      assertThat(f.server.requests()).isEqualTo(2);
      f.clock.advance(Duration.ofMinutes(1));
      assertThat(f.reasonOf(tokenWithKid("ghost"))).isEqualTo(DenyReason.UNKNOWN_KEY);
      assertThat(f.server.requests()).isEqualTo(2);
      f.source.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(f.reasonOf(tokenWithKid("ghost"))).isEqualTo(DenyReason.UNKNOWN_KEY);
      assertThat(f.server.requests()).isEqualTo(4);
    }
  }

  @Test
  void ignoresKeysItCannotUse() throws Exception {
    PublicJsonWebKey good = TestJwts.ed25519("good");
    try (VerifierFixture f = new VerifierFixture(List.of(good))) {
      PublicJsonWebKey enc = TestJwts.ed25519("enc");
      enc.setUse("enc");
      f.server.serveRaw(
          "{\"keys\":["
              + good.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
              + ","
              + enc.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
              + ",{\"kty\":\"EC\",\"kid\":\"broken\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"}"
              + ",{\"kty\":\"oct\",\"kid\":\"hmac\",\"k\":\"c2VjcmV0\"}"
              + ",{\"kty\":\"OKP\",\"kid\":\"x\",\"crv\":\"X25519\",\"x\":\"AA\"}]}");
      f.source.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(f.source.keys().all())
          .extracting(k -> k.kid().orElseThrow())
          .containsExactly("good");
      assertThat(f.valid(sign(good, "EdDSA", claims())).subject()).isEqualTo("user-1");
      assertThat(f.reasonOf(sign(enc, "EdDSA", claims()))).isEqualTo(DenyReason.UNKNOWN_KEY);
    }
  }

  @Test
  void treatsABodyThatIsNotAJwksAsAFailedFetch() throws Exception {
    PublicJsonWebKey k1 = TestJwts.ed25519("k1");
    try (VerifierFixture f = new VerifierFixture(List.of(k1))) {
      f.server.serveRaw("<html>maintenance</html>");
      assertThatThrownBy(() -> f.source.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isNotNull();
      assertThat(f.source.fetchFailures()).isEqualTo(1);
      assertThat(f.source.fetchSuccesses()).isEqualTo(1);
      assertThat(f.valid(sign(k1, "EdDSA", claims())).subject()).isEqualTo("user-1");
    }
  }

  @Test
  void refreshesInTheBackground() throws Exception {
    try (JwksServer server = new JwksServer()) {
      server.serve(List.of(TestJwts.ed25519("k1")));
      HttpJwksSource source =
          new HttpJwksSource(
              TestJwts.config(server.url(), Duration.ofMillis(50)), new MutableClock(TestJwts.NOW));
      try {
        source.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
        PublicJsonWebKey k2 = TestJwts.ed25519("k2");
        server.serve(List.of(k2));
        await().atMost(Duration.ofSeconds(10)).until(() -> source.keys().find("k2").isPresent());
        assertThat(source.fetchSuccesses()).isGreaterThanOrEqualTo(2);
        assertThat(source.keys().find("k1")).isEmpty();
      } finally {
        source.close();
      }
    }
  }

  @Test
  void failsToStartWithoutAJwksUrl() {
    assertThatThrownBy(() -> new HttpJwksSource(TestJwts.config(null), Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String tokenWithKid(String kid) {
    return b64("{\"alg\":\"EdDSA\",\"kid\":\"" + kid + "\"}") + "." + b64("{}") + ".c2ln";
  }
}
