package dev.betterauthz.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

class BenchDataTest {
  private static final TokenMinter MINTER = TokenMinter.generate(Duration.ofMinutes(5));

  @Test
  void benchUsesTheOneBetterAuthSchemaFixture() throws IOException {
    assertThat(BenchData.schemaSql())
        .isEqualTo(
            new String(resource("/schema/better-auth-plural-snake.sql"), StandardCharsets.UTF_8));
  }

  @Test
  void tokensVerifyAgainstTheServedJwks() throws Exception {
    String token = MINTER.mint("user-1", "org-1", "staff");

    JwtClaims claims = consumer(fetchJwks()).processToClaims(token);

    assertThat(claims.getSubject()).isEqualTo("user-1");
    assertThat(claims.getIssuer()).isEqualTo(TokenMinter.ISSUER);
    assertThat(claims.getClaimValue("aud")).isEqualTo(TokenMinter.AUDIENCE);
    assertThat(claims.getClaimValueAsString(TokenMinter.ORG_CLAIM)).isEqualTo("org-1");
    assertThat(claims.getClaimValueAsString(TokenMinter.ORG_ROLE_CLAIM)).isEqualTo("staff");
    assertThat(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue())
        .isEqualTo(300);
  }

  @Test
  void corruptedSignatureFailsVerification() throws Exception {
    String token = TokenMinter.corruptSignature(MINTER.mint("user-1", "org-1", "staff"));

    assertThatThrownBy(() -> consumer(MINTER.jwksJson()).processToClaims(token))
        .isInstanceOf(InvalidJwtException.class);
  }

  @Test
  void unknownKidTokensNameAKeyTheJwksDoesNotHave() throws Exception {
    String first = MINTER.mintWithUnknownKid("user-1", "org-1", "staff");
    String second = MINTER.mintWithUnknownKid("user-1", "org-1", "staff");

    assertThat(kid(first)).isNotEqualTo(MINTER.keyId()).isNotEqualTo(kid(second));
    assertThatThrownBy(() -> consumer(MINTER.jwksJson()).processToClaims(first))
        .isInstanceOf(InvalidJwtException.class);
  }

  @Test
  void membershipsFollowTheDocumentedLayout() {
    BenchData.Member member = BenchData.member("run1", 10, 23);

    assertThat(member)
        .isEqualTo(new BenchData.Member("user-run1-23", "org-run1-3", BenchData.ROLES.get(3)));
    assertThat(BenchData.ADR_INDEXES)
        .anyMatch(sql -> sql.contains("idx_users_role"))
        .anyMatch(sql -> sql.contains("idx_members_user_org"))
        .anyMatch(sql -> sql.contains("idx_members_organization_id_role"));
  }

  @Test
  void roleChangePayloadCarriesUserAndOrganization() {
    byte[] payload = RoleChangeEvents.payload(new BenchData.Member("u1", "o1", "staff"));

    assertThat(new String(payload, StandardCharsets.UTF_8))
        .contains("\"userId\":\"u1\"")
        .contains("\"organizationId\":\"o1\"");
  }

  private static String fetchJwks() throws Exception {
    try (JwksEndpoint endpoint = JwksEndpoint.start(MINTER.jwksJson(), 0)) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(endpoint.url()).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(endpoint.fetches()).isEqualTo(1);
      assertThat(endpoint.url().getPath()).isEqualTo("/api/auth/jwks");
      return response.body();
    }
  }

  private static JwtConsumer consumer(String jwks) throws Exception {
    List<org.jose4j.jwk.JsonWebKey> keys = new JsonWebKeySet(jwks).getJsonWebKeys();
    assertThat(keys).hasSize(1);
    assertThat(keys.get(0).toParams(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY))
        .containsEntry("kty", "OKP")
        .containsEntry("crv", "Ed25519")
        .doesNotContainKey("d");
    return new JwtConsumerBuilder()
        .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys))
        .setExpectedIssuer(TokenMinter.ISSUER)
        .setExpectedAudience(TokenMinter.AUDIENCE)
        .setRequireExpirationTime()
        .setRequireSubject()
        .build();
  }

  private static String kid(String token) throws Exception {
    String header = token.substring(0, token.indexOf('.'));
    String json =
        new String(java.util.Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8);
    return (String) org.jose4j.json.JsonUtil.parseJson(json).get("kid");
  }

  private static byte[] resource(String path) throws IOException {
    try (InputStream in = BenchDataTest.class.getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return in.readAllBytes();
    }
  }
}
