package dev.betterauthz.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.betterauthz.app.Server;
import dev.betterauthz.config.ConfigLoader;
import dev.betterauthz.testsupport.TestServices;
import dev.betterauthz.testsupport.TokenRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Loads the compose demo's init SQL into a fresh database on the real PostgreSQL, in the order the
 * postgres image runs {@code /docker-entrypoint-initdb.d}, and checks what it produced.
 */
class ComposeInitSqlIT {
  private static final Path INITDB = Path.of("deploy/compose/initdb");

  private static String sql(String file) throws IOException {
    return Files.readString(INITDB.resolve(file));
  }

  @Test
  void initSqlBuildsTheDemoDatabase() throws Exception {
    String url =
        TestServices.createDatabase("compose_init", "/schema/better-auth-plural-snake.sql");
    TestServices.run(url, sql("02-authz-indexes.sql"));
    TestServices.run(url, sql("03-demo-data.sql"));
    String role = "better_authz_it_" + ProcessHandle.current().pid();
    TestServices.run(url, sql("04-readonly-role.sql").replace("better_authz", role));
    TestServices.run(url, sql("05-demo-signing-key.sql"));
    try {
      TestServices.run(
          url,
          """
          DO $$
          BEGIN
            IF (SELECT count(*) FROM pg_indexes WHERE indexname IN
                ('idx_users_role', 'idx_members_user_org', 'idx_members_organization_id_role')) <> 3
              THEN RAISE EXCEPTION 'ADR indexes missing'; END IF;
            IF (SELECT role FROM members WHERE user_id = 'u-dave' AND organization_id = 'org-acme')
                <> 'staff,viewer' THEN RAISE EXCEPTION 'multi-role member missing'; END IF;
            IF (SELECT count(*) FROM members WHERE user_id = 'u-carol') <> 2
              THEN RAISE EXCEPTION 'carol should be in two organizations'; END IF;
            IF NOT (SELECT banned FROM users WHERE id = 'u-eve')
              THEN RAISE EXCEPTION 'eve should be banned'; END IF;
            IF (SELECT role FROM users WHERE id = 'u-carol') IS NOT NULL
              THEN RAISE EXCEPTION 'carol keeps a NULL platform role'; END IF;
            IF (SELECT id FROM organizations WHERE slug = 'acme') <> 'org-acme'
              THEN RAISE EXCEPTION 'slug lookup'; END IF;
          END
          $$;
          """);
      String asRole = "SET ROLE " + role + "; ";
      TestServices.run(url, asRole + "SELECT count(*) FROM members");
      assertThatThrownBy(
              () -> TestServices.run(url, asRole + "DELETE FROM members WHERE id = 'm-1'"))
          .hasMessageContaining("permission denied");
      decidesWithTheDemoTokens(url.replace("postgres@", role + ":demo-only@"));
    } finally {
      TestServices.run(url, "DROP OWNED BY " + role + "; DROP ROLE " + role);
    }
  }

  /**
   * The real server with compose.yaml's settings (keys from the jwks table, the demo issuer, the
   * read-only role) accepts the demo-only tokens and decides as the demo describes.
   */
  private static void decidesWithTheDemoTokens(String url) throws Exception {
    Map<String, String> tokens =
        ComposeDemoTokensTest.tokens(Path.of("deploy/compose/demo-tokens.env"));
    tokens.values().forEach(TokenRegistry::register);
    Map<String, String> env = new HashMap<>();
    env.put("AUTHZ_GRPC_PORT", "0");
    env.put("AUTHZ_HTTP_PORT", "0");
    env.put("AUTHZ_BIND_ADDRESS", "127.0.0.1");
    env.put("AUTHZ_POLICY_FILE", "deploy/compose/policy.yaml");
    env.put("AUTHZ_JWKS_URL", "db");
    env.put("AUTHZ_JWT_ISSUER", "http://better-auth.demo");
    env.put("AUTHZ_JWT_AUDIENCE", "http://better-auth.demo");
    env.put("AUTHZ_DATABASE_URL", url);
    env.put("AUTHZ_REDIS_URL", TestServices.redisUrl());
    env.put("AUTHZ_NATS_URL", TestServices.natsUrl());
    env.put("AUTHZ_NATS_SUBJECT_PREFIX", "it" + UUID.randomUUID().toString().substring(0, 8) + ".");
    env.put("AUTHZ_STARTUP_CHECKS", "off");
    env.put("AUTHZ_JWKS_REFRESH", "2s");
    try (Server server = Server.start(ConfigLoader.fromEnv(env))) {
      Awaitility.await("ready").atMost(60, TimeUnit.SECONDS).until(server.readiness()::ready);
      String approve = "/api/orgs/org-acme/leave/7/approve";
      assertThat(check(server, "POST", approve, tokens.get("TOKEN_ALICE"))).isEqualTo(200);
      assertThat(check(server, "POST", approve, tokens.get("TOKEN_BOB"))).isEqualTo(200);
      assertThat(check(server, "POST", approve, tokens.get("TOKEN_CAROL"))).isEqualTo(403);
      assertThat(check(server, "POST", approve, tokens.get("TOKEN_EVE"))).isEqualTo(403);
      assertThat(check(server, "POST", approve, tokens.get("TOKEN_ROOT"))).isEqualTo(200);
      assertThat(check(server, "GET", "/o/acme/leave", tokens.get("TOKEN_CAROL"))).isEqualTo(200);
      assertThat(check(server, "POST", approve, null)).isEqualTo(401);
    }
  }

  private static int check(Server server, String method, String path, String token)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/check"))
            .header("X-Original-Method", method)
            .header("X-Original-URI", path)
            .timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient()
        .send(b.build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
