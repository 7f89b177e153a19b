package dev.betterauthz.token;

import static dev.betterauthz.token.TestJwts.b64;
import static dev.betterauthz.token.TestJwts.claims;
import static dev.betterauthz.token.TestJwts.sign;
import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.decision.DenyReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.base64url.Base64Url;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenRejectionTest {
  static PublicJsonWebKey ed;
  static PublicJsonWebKey rsa;
  static PublicJsonWebKey ec256;
  static VerifierFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    ed = TestJwts.ed25519("ed");
    rsa = TestJwts.rsa("rsa", 2048);
    ec256 = TestJwts.ec("ec256", EllipticCurves.P_256);
    fixture = new VerifierFixture(List.of(ed, rsa, ec256));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static DenyReason reasonOf(String token) throws Exception {
    return fixture.reasonOf(token);
  }

  private static String edToken(Map<String, Object> claims) throws Exception {
    return sign(ed, "EdDSA", claims);
  }

  @Test
  void refusesAlgNone() throws Exception {
    String unsigned = b64("{\"alg\":\"none\",\"kid\":\"ed\"}") + "." + b64("{}") + ".";
    assertThat(reasonOf(unsigned)).isEqualTo(DenyReason.DISALLOWED_ALGORITHM);
  }

  @Test
  void refusesHs256SignedWithThePublicKeyOfAnRsaKey() throws Exception {
    String input =
        b64("{\"alg\":\"HS256\",\"kid\":\"rsa\"}") + "." + b64(JsonUtil.toJson(claims()));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(rsa.getPublicKey().getEncoded(), "HmacSHA256"));
    String forged =
        input + "." + Base64Url.encode(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    assertThat(reasonOf(forged)).isEqualTo(DenyReason.DISALLOWED_ALGORITHM);
  }

  @Test
  void refusesAnAlgorithmThatDoesNotFitTheKey() throws Exception {
    // An RS256 header naming the EC key: the key type decides, not the header.
    assertThat(reasonOf(sign(rsa, "RS256", "ec256", claims())))
        .isEqualTo(DenyReason.DISALLOWED_ALGORITHM);
    assertThat(reasonOf(sign(ec256, "ES256", "rsa", claims())))
        .isEqualTo(DenyReason.DISALLOWED_ALGORITHM);
    assertThat(reasonOf(sign(ec256, "ES256", "ed", claims())))
        .isEqualTo(DenyReason.DISALLOWED_ALGORITHM);
  }

  @Test
  void refusesASupportedAlgorithmOutsideTheAllowList() throws Exception {
    assertThat(reasonOf(sign(rsa, "RS384", "rsa", claims())))
        .isEqualTo(DenyReason.DISALLOWED_ALGORITHM);
  }

  @Test
  void refusesASignatureByAnotherKey() throws Exception {
    PublicJsonWebKey impostor = TestJwts.ed25519("ed");
    assertThat(reasonOf(sign(impostor, "EdDSA", claims()))).isEqualTo(DenyReason.INVALID_SIGNATURE);
  }

  @Test
  void refusesATamperedPayload() throws Exception {
    String[] parts = edToken(claims()).split("\\.");
    Map<String, Object> changed = claims();
    changed.put("sub", "admin");
    String tampered = parts[0] + "." + b64(JsonUtil.toJson(changed)) + "." + parts[2];
    assertThat(reasonOf(tampered)).isEqualTo(DenyReason.INVALID_SIGNATURE);
  }

  @Test
  void refusesTheWrongIssuer() throws Exception {
    Map<String, Object> claims = claims();
    claims.put("iss", "https://auth.example.com/");
    assertThat(reasonOf(edToken(claims))).isEqualTo(DenyReason.WRONG_ISSUER);
  }

  @Test
  void refusesTheWrongOrMissingAudience() throws Exception {
    Map<String, Object> claims = claims();
    claims.put("aud", "https://elsewhere.example.com");
    assertThat(reasonOf(edToken(claims))).isEqualTo(DenyReason.WRONG_AUDIENCE);
    claims.put("aud", List.of("a", "b"));
    assertThat(reasonOf(edToken(claims))).isEqualTo(DenyReason.WRONG_AUDIENCE);
    claims.remove("aud");
    assertThat(reasonOf(edToken(claims))).isEqualTo(DenyReason.WRONG_AUDIENCE);
  }

  @Test
  void acceptsAnAudienceArrayHoldingAConfiguredAudience() throws Exception {
    Map<String, Object> claims = claims();
    claims.put("aud", List.of("someone-else", TestJwts.AUDIENCE));
    assertThat(reasonOf(edToken(claims))).isNull();
  }

  @Test
  void refusesATokenExpiredBeyondTheSkewButAcceptsOneWithinIt() throws Exception {
    long now = TestJwts.NOW.getEpochSecond();
    Map<String, Object> claims = claims();
    claims.put("exp", now - 31);
    assertThat(reasonOf(edToken(claims))).isEqualTo(DenyReason.EXPIRED_TOKEN);
    claims.put("exp", now - 29);
    assertThat(reasonOf(edToken(claims))).isNull();
  }

  @Test
  void refusesATokenNotYetValidBeyondTheSkew() throws Exception {
    long now = TestJwts.NOW.getEpochSecond();
    Map<String, Object> claims = claims();
    claims.put("nbf", now + 31);
    assertThat(reasonOf(edToken(claims))).isEqualTo(DenyReason.TOKEN_NOT_YET_VALID);
    claims.put("nbf", now + 29);
    assertThat(reasonOf(edToken(claims))).isNull();
  }

  @Test
  void refusesATokenWithoutExp() throws Exception {
    Map<String, Object> claims = claims();
    claims.remove("exp");
    assertThat(reasonOf(edToken(claims))).isEqualTo(DenyReason.MALFORMED_TOKEN);
  }

  @Test
  void refusesAMissingEmptyOrNonStringSubject() throws Exception {
    Map<String, Object> claims = claims();
    claims.remove("sub");
    assertThat(reasonOf(edToken(claims))).isEqualTo(DenyReason.MALFORMED_TOKEN);
    claims.put("sub", "");
    assertThat(reasonOf(edToken(claims))).isEqualTo(DenyReason.MALFORMED_TOKEN);
    claims.put("sub", 42);
    assertThat(reasonOf(edToken(claims))).isEqualTo(DenyReason.MALFORMED_TOKEN);
  }

  @Test
  void refusesAnOversizedTokenBeforeParsingIt() throws Exception {
    Map<String, Object> claims = claims();
    claims.put("padding", "x".repeat(9000));
    long before = fixture.verifier.signatureChecks();
    assertThat(reasonOf(edToken(claims))).isEqualTo(DenyReason.MALFORMED_TOKEN);
    assertThat(fixture.verifier.signatureChecks()).isEqualTo(before);
  }

  @Test
  void refusesJweShapedAndOtherNonThreePartTokens() throws Exception {
    assertThat(reasonOf("eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn"))
        .isEqualTo(DenyReason.MALFORMED_TOKEN);
    assertThat(reasonOf("abc.def")).isEqualTo(DenyReason.MALFORMED_TOKEN);
    assertThat(reasonOf("")).isEqualTo(DenyReason.MALFORMED_TOKEN);
    assertThat(reasonOf(null)).isEqualTo(DenyReason.MALFORMED_TOKEN);
  }

  @Test
  void refusesBadBase64UrlAndGarbageJson() throws Exception {
    String[] parts = edToken(claims()).split("\\.");
    assertThat(reasonOf(parts[0] + "." + parts[1] + "+/." + parts[2]))
        .isEqualTo(DenyReason.MALFORMED_TOKEN);
    assertThat(reasonOf("A." + parts[1] + "." + parts[2])).isEqualTo(DenyReason.MALFORMED_TOKEN);
    assertThat(reasonOf(b64("{\"alg\":") + "." + parts[1] + "." + parts[2]))
        .isEqualTo(DenyReason.MALFORMED_TOKEN);
    assertThat(reasonOf(b64("[\"EdDSA\"]") + "." + parts[1] + "." + parts[2]))
        .isEqualTo(DenyReason.MALFORMED_TOKEN);
  }

  @Test
  void refusesGarbageJsonPayloadEvenWhenSigned() throws Exception {
    org.jose4j.jws.JsonWebSignature jws = new org.jose4j.jws.JsonWebSignature();
    jws.setPayload("not json");
    jws.setAlgorithmHeaderValue("EdDSA");
    jws.setKeyIdHeaderValue("ed");
    jws.setKey(ed.getPrivateKey());
    assertThat(reasonOf(jws.getCompactSerialization())).isEqualTo(DenyReason.MALFORMED_TOKEN);
  }

  @Test
  void refusesCritB64AndNestedTokens() throws Exception {
    assertThat(reasonOf(TestJwts.signWithHeader(ed, "EdDSA", claims(), "crit", List.of("exp"))))
        .isEqualTo(DenyReason.MALFORMED_TOKEN);
    assertThat(reasonOf(TestJwts.signWithHeader(ed, "EdDSA", claims(), "b64", true)))
        .isEqualTo(DenyReason.MALFORMED_TOKEN);
    assertThat(reasonOf(TestJwts.signWithHeader(ed, "EdDSA", claims(), "cty", "JWT")))
        .isEqualTo(DenyReason.MALFORMED_TOKEN);
  }

  @Test
  void refusesAnUnknownKidAndAMissingKidAmongSeveralKeys() throws Exception {
    assertThat(reasonOf(sign(ed, "EdDSA", "nobody", claims()))).isEqualTo(DenyReason.UNKNOWN_KEY);
    assertThat(reasonOf(sign(ed, "EdDSA", null, claims()))).isEqualTo(DenyReason.UNKNOWN_KEY);
  }

  @Test
  void keepsOnlyTheClaimsTheDecisionNeeds() throws Exception {
    Map<String, Object> claims = claims();
    claims.put("sid", "session-1");
    claims.put("nested", Map.of("a", "b"));
    VerifiedToken token = fixture.valid(edToken(claims));
    assertThat(token.subject()).isEqualTo("user-1");
    assertThat(token.claims())
        .containsOnlyKeys("organizationId", "orgRole", "role", "banned", "sid")
        .containsEntry("orgRole", "admin")
        .containsEntry("banned", false);
    assertThat(token.issuedAt()).isEqualTo(TestJwts.NOW.minusSeconds(60));
    assertThat(token.expiresAt()).isEqualTo(TestJwts.NOW.plus(Duration.ofMinutes(15)));
  }

  @Test
  void timeClaimsBeyondTheRangeOfInstantAreMalformed() throws Exception {
    Map<String, Object> claims = claims();
    claims.put("exp", Long.MAX_VALUE);
    assertThat(reasonOf(edToken(claims))).isEqualTo(DenyReason.MALFORMED_TOKEN);
    claims = claims();
    claims.put("iat", Long.MIN_VALUE);
    assertThat(reasonOf(edToken(claims))).isEqualTo(DenyReason.MALFORMED_TOKEN);
  }

  @Test
  void withoutIatTheTokenCountsAsOlderThanAnyRevocation() throws Exception {
    Map<String, Object> claims = claims();
    claims.remove("iat");
    assertThat(fixture.valid(edToken(claims)).issuedAt()).isEqualTo(Instant.EPOCH);
    claims.put("nbf", TestJwts.NOW.getEpochSecond() - 5);
    assertThat(fixture.valid(edToken(claims)).issuedAt()).isEqualTo(Instant.EPOCH);
  }
}
