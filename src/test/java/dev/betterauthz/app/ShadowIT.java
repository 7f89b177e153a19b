package dev.betterauthz.app;

import static dev.betterauthz.app.OpsProbes.decisionLine;
import static dev.betterauthz.app.OpsProbes.metadata;
import static dev.betterauthz.app.OpsProbes.metrics;
import static dev.betterauthz.app.OpsProbes.sample;
import static dev.betterauthz.testsupport.ServerHarness.reason;
import static dev.betterauthz.testsupport.ServerHarness.status;
import static dev.betterauthz.testsupport.ServerHarness.upstreamHeader;
import static dev.betterauthz.testsupport.ServerHarness.viaPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.tenancy.TcpProxy;
import dev.betterauthz.testsupport.CapturedLogs;
import dev.betterauthz.testsupport.ServerHarness;
import dev.betterauthz.testsupport.TestServices;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A route in {@code mode: shadow} on the real server: what enforcement would deny is allowed,
 * logged and counted as such; an outage is still a 503, never an allow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShadowIT {
  static final String POLICY =
      """
      roles:
        viewer: ["leave:read"]
      routes:
        - name: beta-approve
          match: { methods: [POST], path: "/api/orgs/{org}/leave/{id}/approve" }
          tenant: { path: org }
          require: ["leave:approve"]
          mode: shadow
        - name: read-leave
          match: { methods: [GET], prefix: "/api/orgs/{org}/leave" }
          tenant: { path: org }
          require: ["leave:approve"]
      default: deny
      """;
  private static final String SHADOWED =
      "authz_shadow_denies_total{reason=\"missing_permission\",route=\"beta-approve\"}";

  private final TcpProxy postgres =
      new TcpProxy("127.0.0.1", URI.create(TestServices.databaseUrl()).getPort());
  private ServerHarness h;
  private String org;

  @BeforeAll
  void start() throws Exception {
    postgres.start();
    h =
        new ServerHarness(
            "shadow",
            SchemaNaming.PLURAL_SNAKE,
            POLICY,
            env ->
                env.put(
                    "AUTHZ_DATABASE_URL", viaPort(env.get("AUTHZ_DATABASE_URL"), postgres.port())),
            true);
    org = h.rows.organization("shadow");
  }

  @AfterAll
  void stop() throws Exception {
    h.close();
    postgres.close();
  }

  private String viewerToken() {
    String user = h.rows.user("user");
    h.rows.member(org, user, "viewer");
    return h.issuer.mint(user, Map.of());
  }

  private String approve() {
    return "/api/orgs/" + org + "/leave/7/approve";
  }

  @Test
  void wouldBeDeniesAreAllowedLoggedAndCounted() {
    String token = viewerToken();
    assertThat(reason(h.check("GET", "/api/orgs/" + org + "/leave", token)))
        .as("an enforcing route denies the same caller")
        .isEqualTo("missing_permission");
    double before = sample(metrics(h.server.httpPort()), SHADOWED);
    long mark = CapturedLogs.mark();

    CheckResponse r = h.check("POST", approve(), token);
    assertThat(status(r)).isEqualTo(200);
    assertThat(upstreamHeader(r, "x-auth-org-role")).isEqualTo("viewer");
    assertThat(metadata(r, "shadow_deny")).isEqualTo("missing_permission");
    JsonNode line = decisionLine(mark, upstreamHeader(r, "x-auth-decision-id"));
    assertThat(line.path("decision").asText()).isEqualTo("allow");
    assertThat(line.path("shadow").asBoolean()).isTrue();
    assertThat(line.path("reason").asText()).isEqualTo("missing_permission");
    assertThat(line.path("route").asText()).isEqualTo("beta-approve");

    CheckResponse anonymous = h.check("POST", approve(), null);
    assertThat(status(anonymous)).isEqualTo(200);
    assertThat(metadata(anonymous, "shadow_deny")).isEqualTo("missing_token");

    String scrape = metrics(h.server.httpPort());
    assertThat(sample(scrape, SHADOWED)).isEqualTo(before + 1);
    assertThat(
            sample(
                scrape,
                "authz_shadow_denies_total{reason=\"missing_token\",route=\"beta-approve\"}"))
        .isEqualTo(1.0);
  }

  @Test
  void anOutageOnAShadowRouteIsStillA503() throws Exception {
    String token = viewerToken();
    postgres.stop();
    try {
      CheckResponse r = h.check("POST", approve(), token);
      assertThat(status(r)).isEqualTo(503);
      assertThat(reason(r)).isEqualTo("backend_unavailable");
    } finally {
      postgres.start();
    }
    await("PostgreSQL back")
        .atMost(Duration.ofSeconds(10))
        .until(() -> status(h.check("POST", approve(), token)) == 200);
  }
}
