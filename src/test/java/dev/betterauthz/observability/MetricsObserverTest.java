package dev.betterauthz.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.decision.Decision;
import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.decision.Identity;
import dev.betterauthz.pipeline.AccessRequest;
import dev.betterauthz.pipeline.DecisionTrace;
import dev.betterauthz.tenancy.Access;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsObserverTest {
  private static final String USER = "user-7f3a9c";
  private static final String ORG = "org-51bd02";
  private static final AccessRequest REQUEST =
      AccessRequest.of("POST", "/api/orgs/" + ORG + "/leave/1/approve?x=1", Map.of());

  private final Metrics metrics = new Metrics();
  private final MetricsObserver observer = new MetricsObserver(metrics);

  private static DecisionTrace trace(Access.Tier tier) {
    return Traces.of(
        Optional.of(tier), Optional.of(USER), Optional.of(ORG), 40_000, 120_000, 300_000);
  }

  private static Identity identity() {
    return new Identity(Optional.of(USER), Optional.of(ORG), List.of("staff"), List.of("user"));
  }

  private void decideSome() {
    Optional<String> route = Optional.of("approve-leave");
    observer.observe(
        REQUEST,
        new Decision.Allow("d1", route, identity(), Optional.empty()),
        trace(Access.Tier.LOCAL));
    observer.observe(
        REQUEST,
        new Decision.Allow("d2", route, identity(), Optional.empty()),
        trace(Access.Tier.REDIS));
    observer.observe(
        REQUEST,
        new Decision.Deny("d3", route, DenyReason.NOT_MEMBER, true, identity()),
        trace(Access.Tier.POSTGRES));
    observer.observe(
        REQUEST,
        new Decision.Deny("d4", Optional.empty(), DenyReason.NO_ROUTE, false, Identity.ANONYMOUS),
        Traces.empty(20_000));
    observer.observe(
        REQUEST,
        new Decision.Allow(
            "d5", Optional.of("shadowed"), identity(), Optional.of(DenyReason.MISSING_PERMISSION)),
        trace(Access.Tier.CLAIMS));
  }

  @Test
  void countsDecisionsByResultReasonAndRoute() {
    decideSome();
    String scrape = metrics.scrape();

    assertThat(scrape)
        .contains(
            "authz_checks_total{decision=\"allow\",reason=\"none\",route=\"approve-leave\"} 2.0")
        .contains(
            "authz_checks_total{decision=\"deny\",reason=\"not_member\",route=\"approve-leave\"} 1.0")
        .contains("authz_checks_total{decision=\"deny\",reason=\"no_route\",route=\"none\"} 1.0")
        .contains("authz_checks_total{decision=\"allow\",reason=\"none\",route=\"shadowed\"} 1.0")
        .contains(
            "authz_shadow_denies_total{reason=\"missing_permission\",route=\"shadowed\"} 1.0");
  }

  @Test
  void onlyReasonsThatOccurredGetASeries() {
    decideSome();
    assertThat(metrics.scrape()).doesNotContain("reason=\"user_banned\"");
  }

  @Test
  void recordsLatencyHistogramsWithSloBuckets() {
    decideSome();
    String scrape = metrics.scrape();

    assertThat(scrape)
        .contains("# TYPE authz_check_duration_seconds histogram")
        .contains("authz_check_duration_seconds_count 5")
        .contains("authz_check_duration_seconds_bucket{le=\"1.0E-4\"} 1")
        .contains("authz_check_duration_seconds_bucket{le=\"0.001\"} 5")
        .contains("authz_check_duration_seconds_bucket{le=\"+Inf\"} 5")
        // Four decisions ran the token and access stages; the no-route deny ran neither.
        .contains("authz_stage_duration_seconds_count{stage=\"token\"} 4")
        .contains("authz_stage_duration_seconds_count{stage=\"access\"} 4");
  }

  @Test
  void neverLabelsByUserOrganizationOrPath() {
    decideSome();
    String scrape = metrics.scrape();

    assertThat(scrape).doesNotContain(USER).doesNotContain(ORG).doesNotContain("/api/orgs");
  }

  @Test
  void exposesEveryDocumentedMetric() {
    metrics.jwksAge(() -> 12.5);
    metrics.dbPoolInUse(() -> 3);
    metrics.jwksRefresh(true);
    metrics.jwksRefresh(false);
    metrics.unknownKid();
    metrics.roleLookup(Access.Tier.REDIS, Metrics.LookupOutcome.MISS);
    metrics.backendError(Metrics.Backend.POSTGRES);
    metrics.policyReload(false);
    metrics.invalidationEvent("member.removed", Metrics.EventOutcome.APPLIED);
    metrics.invalidationLag(java.time.Duration.ofMillis(3));
    metrics.checkStarted();
    decideSome();
    String scrape = metrics.scrape();

    assertThat(scrape)
        .contains("authz_jwks_age_seconds 12.5")
        .contains("authz_db_pool_in_use 3.0")
        .contains("authz_jwks_refresh_total{outcome=\"success\"} 1.0")
        .contains("authz_jwks_refresh_total{outcome=\"failure\"} 1.0")
        .contains("authz_jwt_unknown_kid_total 1.0")
        .contains("authz_role_lookups_total{outcome=\"miss\",tier=\"redis\"} 1.0")
        .contains("authz_role_lookups_total{outcome=\"hit\",tier=\"local\"} 0.0")
        .contains("authz_backend_errors_total{backend=\"postgres\"} 1.0")
        .contains("authz_backend_errors_total{backend=\"nats\"} 0.0")
        .contains("authz_policy_reloads_total{outcome=\"failure\"} 1.0")
        .contains(
            "authz_invalidation_events_total{outcome=\"applied\",subject=\"member.removed\"} 1.0")
        .contains("authz_invalidation_lag_seconds_count 1")
        .contains("authz_inflight_checks 1.0");
  }

  @Test
  void invalidationSubjectsStayBounded() {
    metrics.invalidationEvent("tenant-a.member.role.changed", Metrics.EventOutcome.APPLIED);
    metrics.invalidationEvent("attacker.chose.this.subject", Metrics.EventOutcome.IGNORED);
    metrics.invalidationEvent("xmember.removed", Metrics.EventOutcome.IGNORED);
    String scrape = metrics.scrape();

    assertThat(scrape)
        .contains(
            "authz_invalidation_events_total{outcome=\"applied\",subject=\"member.role.changed\"} 1.0")
        .contains("authz_invalidation_events_total{outcome=\"ignored\",subject=\"other\"} 2.0")
        .doesNotContain("attacker");
  }

  @Test
  void functionCountersReadTheComponentsOwnCounter() {
    AtomicLong hits = new AtomicLong();
    metrics.functionCounter(
        MetricNames.ROLE_LOOKUPS + ".custom", hits, AtomicLong::get, "tier", "test");
    hits.addAndGet(7);
    System.gc();

    assertThat(metrics.scrape()).contains("authz_role_lookups_custom_total{tier=\"test\"} 7.0");
  }

  @Test
  void inflightGaugeFollowsStartAndFinish() {
    metrics.checkStarted();
    metrics.checkStarted();
    metrics.checkFinished();

    assertThat(metrics.scrape()).contains("authz_inflight_checks 1.0");
  }
}
