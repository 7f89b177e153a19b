package dev.betterauthz.app;

import static dev.betterauthz.testsupport.ServerHarness.reason;
import static dev.betterauthz.testsupport.ServerHarness.status;
import static dev.betterauthz.testsupport.ServerHarness.upstreamHeader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.config.ConfigLoader;
import dev.betterauthz.testsupport.BetterAuthRows;
import dev.betterauthz.testsupport.ServerHarness;
import dev.betterauthz.testsupport.TestServices;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Better Auth features wired through the whole server: session cookies and session bearer tokens,
 * keys read from the {@code jwks} table, and strict startup checks.
 */
class BetterAuthFeaturesIT {
  static final String SECRET = "better-auth-secret-for-tests-only-0123456789";
  static final String POLICY =
      """
      roles:
        staff: ["leave:read", "leave:approve"]
      routes:
        - name: read-leave
          match: { methods: [GET], prefix: "/api/orgs/{org}/leave" }
          tenant: { path: org }
          require: ["leave:read"]
        - name: my-leave
          match: { methods: [GET], path: "/api/leave" }
          tenant: { claim: organizationId }
          require: ["leave:read"]
      """;

  @Test
  void betterAuthSessionCookiesAndBearerSessionsAreAccepted() throws Exception {
    try (ServerHarness h =
        new ServerHarness(
            "sessions_e2e",
            SchemaNaming.PLURAL_SNAKE,
            POLICY,
            Map.of("AUTHZ_BETTER_AUTH_SECRET", SECRET))) {
      String org = h.rows.organization("acme");
      String user = h.rows.user("user");
      h.rows.member(org, user, "staff");
      String token = BetterAuthRows.newId();
      h.rows.execute(
          ("INSERT INTO sessions (id, expires_at, token, created_at, updated_at, user_id,"
                  + " active_organization_id) VALUES ('%s', now() + interval '1 day', '%s', now(),"
                  + " now(), '%s', '%s')")
              .formatted(BetterAuthRows.newId(), token, user, org));
      String signed = token + "." + hmac(token);
      String cookie =
          "better-auth.session_token=" + URLEncoder.encode(signed, StandardCharsets.UTF_8);

      var viaCookie = h.check("GET", "/api/orgs/" + org + "/leave", null, Map.of("cookie", cookie));
      assertThat(status(viaCookie)).isEqualTo(200);
      assertThat(upstreamHeader(viaCookie, "x-auth-user-id")).isEqualTo(user);
      assertThat(status(h.check("GET", "/api/leave", null, Map.of("cookie", cookie))))
          .as("active organization of the session as the tenant claim")
          .isEqualTo(200);
      assertThat(status(h.check("GET", "/api/orgs/" + org + "/leave", signed))).isEqualTo(200);
      assertThat(status(h.check("GET", "/api/orgs/" + org + "/leave", token))).isEqualTo(200);

      String tampered = "better-auth.session_token=" + token + "." + hmac(token + "x");
      assertThat(
              reason(
                  h.check("GET", "/api/orgs/" + org + "/leave", null, Map.of("cookie", tampered))))
          .isEqualTo("invalid_session");
      assertThat(reason(h.check("GET", "/api/orgs/" + org + "/leave", BetterAuthRows.newId())))
          .isEqualTo("invalid_session");
    }
  }

  @Test
  void keysCanComeFromTheJwksTable() throws Exception {
    try (ServerHarness probe =
        new ServerHarness("jwks_probe", SchemaNaming.PLURAL_SNAKE, POLICY, Map.of())) {
      // A second server on the same database reads the issuer's key from the jwks table only.
      probe.rows.execute(
          ("INSERT INTO jwks (id, public_key, private_key, created_at, alg, crv)"
                  + " VALUES ('%s', '%s', '\"encrypted\"', now(), NULL, 'Ed25519')")
              .formatted(probe.issuer.kid(), probe.issuer.publicJwkJson()));
      Path policy = Files.createTempFile("policy", ".yaml");
      Files.writeString(policy, POLICY);
      Map<String, String> env = new java.util.HashMap<>();
      env.put("AUTHZ_GRPC_PORT", "0");
      env.put("AUTHZ_HTTP_PORT", "0");
      env.put("AUTHZ_POLICY_FILE", policy.toString());
      env.put("AUTHZ_JWKS_URL", "db");
      env.put("AUTHZ_JWT_ISSUER", probe.issuer.origin());
      env.put("AUTHZ_DATABASE_URL", probe.rows.databaseUrl());
      env.put("AUTHZ_REDIS_URL", "off");
      env.put("AUTHZ_NATS_URL", "off");
      env.put("AUTHZ_STARTUP_CHECKS", "off");
      try (Server fromTable = Server.start(ConfigLoader.fromEnv(env))) {
        String org = probe.rows.organization("acme");
        String user = probe.rows.user("user");
        probe.rows.member(org, user, "staff");
        String token = probe.issuer.mint(user, Map.of());
        var decision =
            fromTable
                .authorizer()
                .authorize(
                    dev.betterauthz.pipeline.AccessRequest.of(
                        "GET",
                        "/api/orgs/" + org + "/leave",
                        Map.of("authorization", "Bearer " + token)))
                .toCompletableFuture()
                .get();
        assertThat(decision).isInstanceOf(dev.betterauthz.decision.Decision.Allow.class);
      } finally {
        Files.deleteIfExists(policy);
      }
    }
  }

  @Test
  void strictStartupChecksRefuseADatabaseWithoutTheRequiredIndexes() throws Exception {
    try (BetterAuthRows rows =
        BetterAuthRows.freshDatabase("strict_start", SchemaNaming.PLURAL_SNAKE)) {
      Path policy = Files.createTempFile("policy", ".yaml");
      Files.writeString(policy, POLICY);
      Map<String, String> env =
          Map.of(
              "AUTHZ_GRPC_PORT", "0",
              "AUTHZ_HTTP_PORT", "0",
              "AUTHZ_POLICY_FILE", policy.toString(),
              "AUTHZ_JWKS_URL", "http://127.0.0.1:9/api/auth/jwks",
              "AUTHZ_JWKS_TIMEOUT", "200ms",
              "AUTHZ_DATABASE_URL", rows.databaseUrl(),
              "AUTHZ_REDIS_URL", TestServices.redisUrl(),
              "AUTHZ_NATS_URL", "off",
              "AUTHZ_STARTUP_CHECKS", "strict");
      try {
        assertThatThrownBy(() -> Server.start(ConfigLoader.fromEnv(env)).close())
            .hasMessageContaining("AUTHZ_STARTUP_CHECKS=strict");
      } finally {
        Files.deleteIfExists(policy);
      }
    }
  }

  private static String hmac(String token) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
  }
}
