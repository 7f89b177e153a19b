package dev.betterauthz.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.betterauthz.decision.Decision;
import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.decision.Identity;
import dev.betterauthz.pipeline.AccessRequest;
import dev.betterauthz.pipeline.DecisionTrace;
import dev.betterauthz.tenancy.Access;
import dev.betterauthz.testsupport.CapturedLogs;
import dev.betterauthz.testsupport.TokenRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionLogTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T10:15:30.123Z"), ZoneOffset.UTC);
  // A JWS-shaped value (header {"alg":"EdDSA","kid":"k1"}); registered so the suite guard checks
  // it.
  private static final String TOKEN =
      TokenRegistry.register(
          "eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1c2VyLTEiLCJvcmdSb2xlIjoiYWRtaW4ifQ"
              + ".c2lnbmF0dXJlLW5vdC1yZWFsbHktdmFsaWQtYnV0LWxvbmc");
  private static final String COOKIE =
      TokenRegistry.register("aXcb81Hs02kLmQ9.S1gNaTuReF0rTh3C00k1e");

  private final List<String> lines = new ArrayList<>();

  private DecisionLog log(double allowSampleRate, double random) {
    return new DecisionLog(allowSampleRate, CLOCK, () -> random, () -> true, lines::add);
  }

  private static AccessRequest request(String path, Map<String, String> headers) {
    return AccessRequest.of("post", path, headers);
  }

  private static DecisionTrace trace() {
    return Traces.of(
        Optional.of(Access.Tier.REDIS),
        Optional.of("user-1"),
        Optional.of("org-9"),
        50_000,
        200_000,
        1_234_567);
  }

  private static Identity identity() {
    return new Identity(Optional.of("user-1"), Optional.of("org-9"), List.of("staff"), List.of());
  }

  private static Decision.Allow allow() {
    return new Decision.Allow(
        "d-allow", Optional.of("approve-leave"), identity(), Optional.empty());
  }

  private static Decision.Deny deny() {
    return new Decision.Deny(
        "d-deny", Optional.of("approve-leave"), DenyReason.MISSING_PERMISSION, true, identity());
  }

  private JsonNode only() throws Exception {
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).doesNotContain("\n").startsWith("{").endsWith("}");
    return MAPPER.readTree(lines.get(0));
  }

  @Test
  void writesOneJsonObjectWithEveryField() throws Exception {
    Map<String, String> headers =
        Map.of(
            "x-request-id", "req-42",
            "authorization", "Bearer " + TOKEN,
            "cookie", "better-auth.session_token=" + COOKIE);
    log(1.0, 0.5)
        .observe(request("/api/orgs/org-9/leave/1/approve?debug=1", headers), deny(), trace());

    JsonNode line = only();
    assertThat(line.get("ts").asText()).isEqualTo("2026-03-01T10:15:30.123Z");
    assertThat(line.get("decision_id").asText()).isEqualTo("d-deny");
    assertThat(line.get("request_id").asText()).isEqualTo("req-42");
    assertThat(line.get("route").asText()).isEqualTo("approve-leave");
    assertThat(line.get("method").asText()).isEqualTo("POST");
    assertThat(line.get("path").asText()).isEqualTo("/api/orgs/org-9/leave/1/approve");
    assertThat(line.get("user_id").asText()).isEqualTo("user-1");
    assertThat(line.get("org_id").asText()).isEqualTo("org-9");
    assertThat(line.get("decision").asText()).isEqualTo("deny");
    assertThat(line.get("reason").asText()).isEqualTo("missing_permission");
    assertThat(line.get("tier").asText()).isEqualTo("redis");
    assertThat(line.get("latency_ms").decimalValue()).hasToString("1.235");
    assertThat(line.has("shadow")).isFalse();
    assertThat(lines.get(0)).doesNotContain(TOKEN).doesNotContain(COOKIE).doesNotContain("debug");
  }

  @Test
  void marksShadowedDeniesAndAlwaysLogsThem() throws Exception {
    Decision.Allow shadowed =
        new Decision.Allow(
            "d-shadow", Optional.of("beta"), identity(), Optional.of(DenyReason.NOT_MEMBER));
    log(0.0, 0.5).observe(request("/beta", Map.of()), shadowed, trace());

    JsonNode line = only();
    assertThat(line.get("decision").asText()).isEqualTo("allow");
    assertThat(line.get("reason").asText()).isEqualTo("not_member");
    assertThat(line.get("shadow").asBoolean()).isTrue();
  }

  @Test
  void absentValuesAreJsonNull() throws Exception {
    Decision.Deny noRoute =
        new Decision.Deny("d-x", Optional.empty(), DenyReason.NO_ROUTE, false, Identity.ANONYMOUS);
    log(1.0, 0.5).observe(request("/nowhere", Map.of()), noRoute, Traces.empty(500));

    JsonNode line = only();
    for (String field : List.of("request_id", "route", "user_id", "org_id", "tier")) {
      assertThat(line.get(field).isNull()).as(field).isTrue();
    }
    assertThat(line.get("latency_ms").decimalValue()).hasToString("0.001");
  }

  @Test
  void samplingZeroDropsAllowsButKeepsDenies() {
    DecisionLog log = log(0.0, 0.0);
    log.observe(request("/a", Map.of()), allow(), trace());
    log.observe(request("/a", Map.of()), deny(), trace());

    assertThat(lines).hasSize(1).allMatch(l -> l.contains("\"decision\":\"deny\""));
  }

  @Test
  void samplingKeepsAllowsBelowTheRate() {
    log(0.25, 0.2).observe(request("/a", Map.of()), allow(), trace());
    log(0.25, 0.3).observe(request("/a", Map.of()), allow(), trace());

    assertThat(lines).hasSize(1);
  }

  @Test
  void writesNothingWhenTheLoggerIsOff() {
    new DecisionLog(1.0, CLOCK, () -> 0.0, () -> false, lines::add)
        .observe(request("/a", Map.of()), deny(), trace());

    assertThat(lines).isEmpty();
  }

  @Test
  void rejectsSampleRatesOutsideZeroToOne() {
    assertThatThrownBy(() -> new DecisionLog(1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DecisionLog(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void escapesCallerControlledValues() throws Exception {
    String path = "/a\"b\\c\u0001d\te\u00e9\u4e2d\ud83d\ude00/f";
    String requestId = "id\"},\"decision\":\"allow\n";
    log(1.0, 0.5).observe(request(path, Map.of("x-request-id", requestId)), deny(), trace());

    String raw = lines.get(0);
    assertThat(raw).matches("\\p{ASCII}*").doesNotContain("\n").doesNotContain("\t");
    JsonNode line = only();
    assertThat(line.get("path").asText()).isEqualTo(path);
    assertThat(line.get("request_id").asText()).isEqualTo(requestId);
    assertThat(line.get("decision").asText()).isEqualTo("deny");
  }

  @Test
  void masksCredentialsInPathAndRequestIdWhateverTheirPlace() throws Exception {
    String path = "/api/t/" + TOKEN + "/x;jsessionid=1?token=" + TOKEN;
    String requestId = "Bearer " + TOKEN;
    log(1.0, 0.5).observe(request(path, Map.of("x-request-id", requestId)), deny(), trace());

    JsonNode line = only();
    assertThat(lines.get(0)).doesNotContain(TOKEN).doesNotContain("eyJ");
    assertThat(line.get("path").asText()).isEqualTo("/api/t/[REDACTED]/x;jsessionid=1");
    assertThat(line.get("request_id").asText()).isEqualTo("Bearer [REDACTED]");
  }

  @Test
  void truncatesLongPathsAfterMasking() throws Exception {
    String path = "/" + "a".repeat(600) + "/" + TOKEN;
    log(1.0, 0.5).observe(request(path, Map.of()), deny(), trace());

    JsonNode line = only();
    assertThat(line.get("path").asText()).hasSize(DecisionLog.MAX_PATH).doesNotContain("eyJ");
  }

  @Test
  void formatsLatencyWithThreeDecimals() {
    assertThat(DecisionLog.millis(0)).isEqualTo("0.000");
    assertThat(DecisionLog.millis(1_500)).isEqualTo("0.002");
    assertThat(DecisionLog.millis(12_345_678)).isEqualTo("12.346");
    assertThat(DecisionLog.millis(2_000_000_000)).isEqualTo("2000.000");
  }

  @Test
  void logsToTheDecisionLoggerWithoutTheToken() throws Exception {
    long mark = CapturedLogs.mark();
    new DecisionLog(1.0)
        .observe(
            request("/api/x?access_token=" + TOKEN, Map.of("authorization", "Bearer " + TOKEN)),
            allow(),
            trace());

    List<String> captured = CapturedLogs.since(mark, DecisionLog.LOGGER);
    assertThat(captured).hasSize(1);
    assertThat(captured.get(0)).contains("\"decision_id\":\"d-allow\"").doesNotContain(TOKEN);
  }
}
