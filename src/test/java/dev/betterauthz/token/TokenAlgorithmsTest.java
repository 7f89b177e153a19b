package dev.betterauthz.token;

import static dev.betterauthz.token.TestJwts.claims;
import static dev.betterauthz.token.TestJwts.sign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.decision.DenyReason;
import java.util.List;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenAlgorithmsTest {
  static PublicJsonWebKey ed;
  static PublicJsonWebKey rsa;
  static PublicJsonWebKey ec256;
  static PublicJsonWebKey ec521;
  static VerifierFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    ed = TestJwts.ed25519("ed");
    rsa = TestJwts.rsa("rsa", 2048);
    ec256 = TestJwts.ec("ec256", EllipticCurves.P_256);
    ec521 = TestJwts.ec("ec521", EllipticCurves.P_521);
    fixture = new VerifierFixture(List.of(ed, rsa, ec256, ec521));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void acceptsEdDsa() throws Exception {
    assertThat(fixture.valid(sign(ed, "EdDSA", claims())).subject()).isEqualTo("user-1");
  }

  @Test
  void acceptsRs256AndPs256() throws Exception {
    assertThat(fixture.valid(sign(rsa, "RS256", claims())).subject()).isEqualTo("user-1");
    assertThat(fixture.valid(sign(rsa, "PS256", claims())).subject()).isEqualTo("user-1");
  }

  @Test
  void acceptsEs256AndEs512() throws Exception {
    assertThat(fixture.valid(sign(ec256, "ES256", claims())).subject()).isEqualTo("user-1");
    assertThat(fixture.valid(sign(ec521, "ES512", claims())).subject()).isEqualTo("user-1");
  }

  @Test
  void refusesAnEcAlgorithmOnTheWrongCurve() throws Exception {
    assertThat(fixture.reasonOf(sign(ec256, "ES256", "ec521", claims())))
        .isEqualTo(DenyReason.DISALLOWED_ALGORITHM);
    assertThat(fixture.reasonOf(sign(ec521, "ES512", "ec256", claims())))
        .isEqualTo(DenyReason.DISALLOWED_ALGORITHM);
  }

  @Test
  void refusesRsaKeysShorterThan2048Bits() throws Exception {
    PublicJsonWebKey weak = TestJwts.rsa("weak", 1024);
    try (VerifierFixture single = new VerifierFixture(List.of(weak))) {
      assertThat(single.reasonOf(sign(weak, "RS256", claims())))
          .isEqualTo(DenyReason.DISALLOWED_ALGORITHM);
    }
  }

  @Test
  void usesTheSoleKeyWithoutKidOnlyWhenTheAlgorithmFits() throws Exception {
    PublicJsonWebKey sole = TestJwts.ed25519(null);
    try (VerifierFixture single = new VerifierFixture(List.of(sole))) {
      assertThat(single.valid(sign(sole, "EdDSA", null, claims())).subject()).isEqualTo("user-1");
      assertThat(single.reasonOf(sign(rsa, "RS256", null, claims())))
          .isEqualTo(DenyReason.UNKNOWN_KEY);
    }
  }

  @Test
  void honoursTheAlgPinnedByTheJwk() throws Exception {
    PublicJsonWebKey pinned = TestJwts.rsa("pinned", 2048);
    pinned.setAlgorithm("PS256");
    try (VerifierFixture single = new VerifierFixture(List.of(pinned))) {
      assertThat(single.valid(sign(pinned, "PS256", claims())).subject()).isEqualTo("user-1");
      assertThat(single.reasonOf(sign(pinned, "RS256", claims())))
          .isEqualTo(DenyReason.DISALLOWED_ALGORITHM);
    }
  }

  @Test
  void neverAllowsNoneOrHmacInTheConfiguration() {
    for (String alg : List.of("none", "HS256", "XYZ")) {
      var config = TestJwts.config(null);
      var bad =
          new dev.betterauthz.config.AppConfig.JwtConfig(
              config.jwksUrl(),
              config.issuer(),
              config.audiences(),
              List.of("EdDSA", alg),
              config.clockSkew(),
              config.jwksRefresh(),
              config.jwksMinRefetch(),
              config.jwksMaxStale(),
              config.jwksFetchTimeout(),
              config.maxTokenBytes(),
              config.tokenCacheSize(),
              config.orgClaim(),
              config.orgRoleClaim());
      org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
          .isThrownBy(() -> new Jose4jTokenVerifier(bad, fixture.source, fixture.clock));
    }
  }
}
