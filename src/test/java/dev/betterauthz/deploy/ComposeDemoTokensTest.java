package dev.betterauthz.deploy;

import static dev.betterauthz.deploy.YamlDocs.map;
import static dev.betterauthz.deploy.YamlDocs.str;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compose demo is coherent: the demo-only tokens in {@code deploy/compose/demo-tokens.env} are
 * signed by the key that {@code initdb/05-demo-signing-key.sql} puts in the {@code jwks} table,
 * carry the issuer and audience {@code compose.yaml} configures, name users of {@code
 * 03-demo-data.sql}, and stay valid for years.
 */
class ComposeDemoTokensTest {
  private static final Path COMPOSE = Path.of("deploy/compose");
  private static final Pattern KEY_ROW =
      Pattern.compile("\\('([^']+)',\\s*'(\\{[^']+\\})',\\s*'[^']*',\\s*now\\(\\), NULL, 'EdDSA'");

  private static Map<String, String> tokens;
  private static String kid;
  private static PublicJsonWebKey key;

  @BeforeAll
  static void load() throws Exception {
    tokens = tokens(COMPOSE.resolve("demo-tokens.env"));
    Matcher row =
        KEY_ROW.matcher(Files.readString(COMPOSE.resolve("initdb/05-demo-signing-key.sql")));
    assertThat(row.find()).as("a jwks row in 05-demo-signing-key.sql").isTrue();
    kid = row.group(1);
    key = (PublicJsonWebKey) JsonWebKey.Factory.newJwk(row.group(2));
  }

  static Map<String, String> tokens(Path env) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(env)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] kv = line.split("=", 2);
        out.put(kv[0], kv[1]);
      }
    }
    return out;
  }

  @Test
  void everyDemoUserHasAToken() {
    assertThat(tokens)
        .containsOnlyKeys(
            "TOKEN_ALICE", "TOKEN_BOB", "TOKEN_CAROL", "TOKEN_DAVE", "TOKEN_ROOT", "TOKEN_EVE");
  }

  @Test
  void tokensVerifyWithTheDemoKeyAndTheComposeIssuer() throws Exception {
    Map<String, Object> env =
        map(YamlDocs.load(Path.of("compose.yaml")), "services.better-authz.environment");
    String demoData = Files.readString(COMPOSE.resolve("initdb/03-demo-data.sql"));
    JwtConsumer consumer =
        new JwtConsumerBuilder()
            .setVerificationKey(key.getPublicKey())
            .setExpectedIssuer(str(env, "AUTHZ_JWT_ISSUER"))
            .setExpectedAudience(str(env, "AUTHZ_JWT_AUDIENCE"))
            .setRequireExpirationTime()
            .setJwsAlgorithmConstraints(
                org.jose4j.jwa.AlgorithmConstraints.ConstraintType.PERMIT,
                AlgorithmIdentifiers.EDDSA)
            .build();
    for (Map.Entry<String, String> e : tokens.entrySet()) {
      JwtClaims claims = consumer.processToClaims(e.getValue());
      String user = claims.getSubject();
      assertThat(user).isEqualTo("u-" + e.getKey().substring(6).toLowerCase());
      assertThat(demoData).as(user).contains("('" + user + "'");
      Instant exp = Instant.ofEpochSecond(claims.getExpirationTime().getValue());
      assertThat(exp).as(e.getKey()).isAfter(Instant.now().plus(Duration.ofDays(365)));
      assertThat(JsonWebStructure.fromCompactSerialization(e.getValue()).getKeyIdHeaderValue())
          .isEqualTo(kid);
    }
    assertThat(str(env, "AUTHZ_JWKS_URL")).isEqualTo("db");
  }
}
