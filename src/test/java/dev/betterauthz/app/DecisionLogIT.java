package dev.betterauthz.app;

import static dev.betterauthz.app.OpsProbes.decisionLine;
import static dev.betterauthz.app.OpsProbes.decisionTexts;
import static dev.betterauthz.app.OpsProbes.metadata;
import static dev.betterauthz.testsupport.ServerHarness.reason;
import static dev.betterauthz.testsupport.ServerHarness.upstreamHeader;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.testsupport.CapturedLogs;
import dev.betterauthz.testsupport.ServerHarness;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The decision log of the real server: one JSON line per check, joined to the response by its
 * decision id, with the gateway's request id, the path without its query, and never a credential.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecisionLogIT {
  static final String POLICY =
      """
      roles:
        viewer: ["leave:read"]
      routes:
        - name: read-leave
          match: { methods: [GET], prefix: "/api/orgs/{org}/leave" }
          tenant: { path: org }
          require: ["leave:read"]
        - name: approve-leave
          match: { methods: [POST], path: "/api/orgs/{org}/leave/{id}/approve" }
          tenant: { path: org }
          require: ["leave:approve"]
      default: deny
      """;

  private ServerHarness h;
  private String org;
  private String user;
  private String token;

  @BeforeAll
  void start() throws Exception {
    h = new ServerHarness("decisionlog", SchemaNaming.PLURAL_SNAKE, POLICY, Map.of());
    org = h.rows.organization("decisionlog");
    user = h.rows.user("user");
    h.rows.member(org, user, "viewer");
    token = h.issuer.mint(user, Map.of());
  }

  @AfterAll
  void stop() throws Exception {
    h.close();
  }

  @Test
  void anAllowIsOneLineJoinedByTheDecisionIdOfTheHeaderAndMetadata() {
    long mark = CapturedLogs.mark();
    CheckResponse r =
        h.check(
            "GET",
            "/api/orgs/" + org + "/leave?access_token=" + token + "&page=2",
            token,
            Map.of("x-request-id", "req-allow-1", "cookie", "better-auth.session_token=" + token));
    assertThat(reason(r)).isEqualTo("allow");
    String id = upstreamHeader(r, "x-auth-decision-id");
    assertThat(metadata(r, "decision_id")).isEqualTo(id);

    JsonNode line = decisionLine(mark, id);
    assertThat(line.path("request_id").asText()).isEqualTo("req-allow-1");
    assertThat(line.path("path").asText()).isEqualTo("/api/orgs/" + org + "/leave");
    assertThat(line.path("method").asText()).isEqualTo("GET");
    assertThat(line.path("route").asText()).isEqualTo("read-leave");
    assertThat(line.path("decision").asText()).isEqualTo("allow");
    assertThat(line.path("reason").isNull()).isTrue();
    assertThat(line.path("user_id").asText()).isEqualTo(user);
    assertThat(line.path("org_id").asText()).isEqualTo(org);
    assertThat(line.path("tier").asText()).isIn("local", "redis", "postgres");
    assertThat(line.path("latency_ms").isNumber()).isTrue();
    assertThat(line.has("shadow")).isFalse();
    assertNoCredential(mark);
  }

  @Test
  void denyLinesCarryTheDecisionIdOfTheBodyAndTheReason() throws Exception {
    long mark = CapturedLogs.mark();
    CheckResponse missing =
        h.check("GET", "/api/orgs/" + org + "/leave", null, Map.of("x-request-id", "req-deny-1"));
    CheckResponse forbidden =
        h.check(
            "POST",
            "/api/orgs/" + org + "/leave/7/approve?sig=abc",
            token,
            Map.of("x-request-id", "req-deny-2"));
    assertThat(reason(missing)).isEqualTo("missing_token");
    assertThat(reason(forbidden)).isEqualTo("missing_permission");

    for (CheckResponse r : List.of(missing, forbidden)) {
      String bodyId =
          new ObjectMapper().readTree(r.getDeniedResponse().getBody()).path("decision_id").asText();
      assertThat(metadata(r, "decision_id")).isEqualTo(bodyId);
      JsonNode line = decisionLine(mark, bodyId);
      assertThat(line.path("decision").asText()).isEqualTo("deny");
      assertThat(line.path("reason").asText()).isEqualTo(reason(r));
    }
    JsonNode first = decisionLine(mark, metadata(missing, "decision_id"));
    assertThat(first.path("request_id").asText()).isEqualTo("req-deny-1");
    assertThat(first.path("user_id").isNull()).isTrue();
    JsonNode second = decisionLine(mark, metadata(forbidden, "decision_id"));
    assertThat(second.path("request_id").asText()).isEqualTo("req-deny-2");
    assertThat(second.path("path").asText()).isEqualTo("/api/orgs/" + org + "/leave/7/approve");
    assertThat(second.path("route").asText()).isEqualTo("approve-leave");
    assertThat(second.path("user_id").asText()).isEqualTo(user);
    assertThat(decisionTexts(mark)).hasSize(2);
    assertNoCredential(mark);
  }

  private void assertNoCredential(long mark) {
    assertThat(decisionTexts(mark))
        .allSatisfy(
            text ->
                assertThat(text)
                    .doesNotContain(token)
                    .doesNotContain(token.substring(0, token.indexOf('.')))
                    .doesNotContainIgnoringCase("bearer")
                    .doesNotContain("session_token"));
  }
}
