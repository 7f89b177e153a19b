package dev.betterauthz.token;

import static dev.betterauthz.token.TestJwts.claims;
import static dev.betterauthz.token.TestJwts.sign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.decision.DenyReason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;

class TokenCacheTest {

  @Test
  void aCacheHitDoesNoSignatureWork() throws Exception {
    PublicJsonWebKey k1 = TestJwts.ed25519("k1");
    try (VerifierFixture f = new VerifierFixture(List.of(k1))) {
      String token = sign(k1, "EdDSA", claims());
      VerifiedToken first = f.valid(token);
      VerifiedToken second = f.valid(new String(token.toCharArray()));
      assertThat(second).isEqualTo(first);
      assertThat(f.verifier.signatureChecks()).isEqualTo(1);
      assertThat(f.verifier.cachedTokens()).isEqualTo(1);
      assertThat(f.verifier.verify(token).toCompletableFuture()).isDone();
    }
  }

  @Test
  void aForgedTokenCostsOneSignatureCheckNotOnePerRequest() throws Exception {
    PublicJsonWebKey k1 = TestJwts.ed25519("k1");
    PublicJsonWebKey other = TestJwts.ed25519("k1");
    try (VerifierFixture f = new VerifierFixture(List.of(k1))) {
      String forged = sign(other, "EdDSA", claims());
      for (int i = 0; i < 5; i++) {
        assertThat(f.reasonOf(new String(forged.toCharArray())))
            .isEqualTo(DenyReason.INVALID_SIGNATURE);
      }
      assertThat(f.verifier.signatureChecks()).isEqualTo(1);
      assertThat(f.verifier.cachedTokens()).isZero();
      // A genuine token is unaffected.
      f.valid(sign(k1, "EdDSA", claims()));
    }
  }

  @Test
  void aCachedTokenIsNotValidPastItsExpiry() throws Exception {
    PublicJsonWebKey k1 = TestJwts.ed25519("k1");
    try (VerifierFixture f = new VerifierFixture(List.of(k1))) {
      String token = sign(k1, "EdDSA", claims());
      f.valid(token);
      f.clock.advance(Duration.ofMinutes(15).plusSeconds(31));
      assertThat(f.reasonOf(token)).isEqualTo(DenyReason.EXPIRED_TOKEN);
      assertThat(f.verifier.signatureChecks()).isEqualTo(1);
    }
  }

  @Test
  void aCachedTokenIsRecheckedAgainstNbf() throws Exception {
    PublicJsonWebKey k1 = TestJwts.ed25519("k1");
    try (VerifierFixture f = new VerifierFixture(List.of(k1))) {
      Map<String, Object> claims = claims();
      claims.put("nbf", TestJwts.NOW.getEpochSecond() - 10);
      String token = sign(k1, "EdDSA", claims);
      f.valid(token);
      f.clock.advance(Duration.ofSeconds(-60)); // the clock stepped back
      assertThat(f.reasonOf(token)).isEqualTo(DenyReason.TOKEN_NOT_YET_VALID);
    }
  }

  @Test
  void aCachedTokenIsRefusedOnceItsKeyIsNoLongerServed() throws Exception {
    PublicJsonWebKey k1 = TestJwts.ed25519("k1");
    PublicJsonWebKey k2 = TestJwts.ed25519("k2");
    try (VerifierFixture f = new VerifierFixture(List.of(k1, k2))) {
      String token = sign(k1, "EdDSA", claims());
      f.valid(token);
      f.server.serve(List.of(k2));
      f.source.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(f.reasonOf(token)).isEqualTo(DenyReason.UNKNOWN_KEY);
    }
  }

  @Test
  void anIdenticalRefreshKeepsCachedTokensValid() throws Exception {
    PublicJsonWebKey k1 = TestJwts.ed25519("k1");
    try (VerifierFixture f = new VerifierFixture(List.of(k1))) {
      String token = sign(k1, "EdDSA", claims());
      f.valid(token);
      f.source.refresh().toCompletableFuture().get(10, TimeUnit.SECONDS);
      f.valid(token);
      assertThat(f.verifier.signatureChecks()).isEqualTo(1);
    }
  }
}
