package dev.betterauthz.app;

import static dev.betterauthz.app.OpsProbes.metrics;
import static dev.betterauthz.app.OpsProbes.sample;
import static dev.betterauthz.testsupport.ServerHarness.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.testsupport.ServerHarness;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} on the real server after real decisions: names, labels, no identifiers. */
class MetricsIT {
  static final String POLICY =
      """
      roles:
        viewer: ["leave:read"]
      routes:
        - name: read-leave
          match: { methods: [GET], prefix: "/api/orgs/{org}/leave" }
          tenant: { path: org }
          require: ["leave:read"]
      default: deny
      """;

  @Test
  void exposesTheDocumentedSeriesAndNoIdentifiers() throws Exception {
    try (ServerHarness h =
        new ServerHarness("metrics", SchemaNaming.PLURAL_SNAKE, POLICY, Map.of())) {
      String org = h.rows.organization("metrics");
      String member = h.rows.user("user");
      h.rows.member(org, member, "viewer");
      String outsider = h.rows.user("user");
      String path = "/api/orgs/" + org + "/leave";
      String token = h.issuer.mint(member, Map.of());
      assertThat(reason(h.check("GET", path, token))).isEqualTo("allow");
      assertThat(reason(h.check("GET", path, token))).isEqualTo("allow");
      assertThat(reason(h.check("GET", path, null))).isEqualTo("missing_token");
      assertThat(reason(h.check("GET", path, h.issuer.mint(outsider, Map.of()))))
          .isEqualTo("not_member");

      Files.writeString(h.policyFile, POLICY.replace("viewer:", "reader:"));
      await("policy reload counted")
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  sample(
                          metrics(h.server.httpPort()),
                          "authz_policy_reloads_total{outcome=\"success\"}")
                      == 1.0);

      String scrape = metrics(h.server.httpPort());
      assertThat(
              sample(
                  scrape,
                  "authz_checks_total{decision=\"allow\",reason=\"none\",route=\"read-leave\"}"))
          .isEqualTo(2.0);
      assertThat(
              sample(
                  scrape,
                  "authz_checks_total{decision=\"deny\",reason=\"missing_token\",route=\"read-leave\"}"))
          .isEqualTo(1.0);
      assertThat(
              sample(
                  scrape,
                  "authz_checks_total{decision=\"deny\",reason=\"not_member\",route=\"read-leave\"}"))
          .isEqualTo(1.0);
      assertThat(sample(scrape, "authz_check_duration_seconds_count")).isEqualTo(4.0);
      assertThat(scrape)
          .contains("authz_check_duration_seconds_bucket{le=\"0.001\"}")
          .contains("authz_check_duration_seconds_bucket{le=\"+Inf\"} 4")
          .contains("authz_stage_duration_seconds_bucket{stage=\"token\"")
          .containsPattern("authz_role_lookups_total\\{outcome=\"hit\",tier=\"local\"} [1-9]")
          .containsPattern("authz_role_lookups_total\\{outcome=\"hit\",tier=\"postgres\"} [1-9]")
          .containsPattern("authz_jwks_refresh_total\\{outcome=\"success\"} [1-9]")
          .contains("authz_jwks_age_seconds")
          .contains("authz_inflight_checks")
          .contains("authz_policy_reloads_total{outcome=\"success\"} 1.0");
      assertThat(scrape)
          .as("no user id, org id or token in any series")
          .doesNotContain(member)
          .doesNotContain(outsider)
          .doesNotContain(org)
          .doesNotContain(token)
          .doesNotContain("eyJ");
    }
  }
}
