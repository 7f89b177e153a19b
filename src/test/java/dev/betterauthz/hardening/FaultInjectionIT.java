package dev.betterauthz.hardening;

import static dev.betterauthz.testsupport.ServerHarness.reason;
import static dev.betterauthz.testsupport.ServerHarness.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Faults between better-authz and its dependencies (PostgreSQL, Redis, NATS, JWKS), injected by a
 * {@link FaultProxy} in front of each: every Check is answered before Envoy's 200 ms deadline, the
 * answer is the documented degraded one (a cached answer or 503 {@code backend_unavailable} with
 * {@code Retry-After}), never an allow the database would refuse, and decisions recover without a
 * restart when the fault ends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionIT {
  static final String POLICY =
      """
      roles:
        staff: ["leave:read", "leave:approve"]
        viewer: ["leave:read"]
      routes:
        - name: read-leave
          match: { methods: [GET], prefix: "/api/orgs/{org}/leave" }
          tenant: { path: org }
          require: ["leave:read"]
        - name: settings
          match: { methods: [PATCH], path: "/api/orgs/{org}/settings" }
          tenant: { path: org }
          require: ["leave:approve"]
          consistency: strong
      default: deny
      """;
  private static final Duration RECOVERY = Duration.ofSeconds(20);

  private ProxiedServer s;
  private String org;

  @BeforeAll
  void start() throws Exception {
    s =
        new ProxiedServer(
            "faults",
            POLICY,
            Map.of("AUTHZ_DEGRADED_CACHE_TTL", "2s", "AUTHZ_NEGATIVE_CACHE_TTL", "1s"));
    org = s.rows.organization("faults");
  }

  @AfterEach
  void heal() {
    s.proxies().forEach(FaultProxy::heal);
  }

  @AfterAll
  void stop() throws Exception {
    System.out.println(
        "fault injection: deadline misses absorbed by a retry: " + s.calls.deadlineMisses());
    s.close();
  }

  /** A user with this member role (null: not a member) and a token. */
  private String token(String role) {
    String user = s.rows.user("user");
    if (role != null) {
      s.rows.member(org, user, role);
    }
    return s.issuer.mint(user, Map.of());
  }

  /** One Check with Envoy's 200 ms deadline; a DEADLINE_EXCEEDED fails the test. */
  private CheckResponse read(String token) {
    return s.calls.checkInTime(
        EnvoyCalls.request(
            "GET", "/api/orgs/" + org + "/leave", Map.of("authorization", "Bearer " + token)));
  }

  private CheckResponse strong(String token) {
    return s.calls.checkInTime(
        EnvoyCalls.request(
            "PATCH", "/api/orgs/" + org + "/settings", Map.of("authorization", "Bearer " + token)));
  }

  private static void assertUnavailable(CheckResponse r) {
    assertThat(status(r)).isEqualTo(503);
    assertThat(reason(r)).isEqualTo("backend_unavailable");
    assertThat(EnvoyCalls.deniedHeader(r, "retry-after")).isNotNull();
  }

  private static void assertNotAllowed(CheckResponse r) {
    assertThat(status(r)).as(reason(r)).isIn(403, 503);
  }

  /**
   * Waits until a read gives {@code expected}. On a loaded machine a cold PostgreSQL read can take
   * longer than the deadline allows, and the documented answer is then 503; polling separates that
   * from a wrong answer (which the callers assert never happens).
   */
  private void awaitStatus(String token, int expected) {
    awaitStatus(() -> read(token), expected);
  }

  private void awaitStatus(java.util.function.Supplier<CheckResponse> call, int expected) {
    Awaitility.await()
        .atMost(RECOVERY)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> status(call.get()) == expected);
  }

  /** The PostgreSQL fault cases share one script. */
  private void postgresFault(Runnable inject) throws Exception {
    String cached = token("staff");
    String revoked = token("staff");
    String uncached = token("staff");
    String outsider = token(null);
    awaitStatus(cached, 200);
    awaitStatus(revoked, 200);
    inject.run();
    CheckResponse c = read(cached);
    assertThat(status(c)).as(reason(c)).isIn(200, 503);
    assertUnavailable(read(uncached));
    assertUnavailable(strong(cached));
    assertNotAllowed(read(outsider));
    String revokedUser = subjectOf(revoked);
    s.rows.removeMember(org, revokedUser);
    s.events.publish("member.removed", revokedUser, org);
    Awaitility.await()
        .atMost(RECOVERY)
        .ignoreExceptions()
        .until(() -> status(read(revoked)) != 200);
    for (int i = 0; i < 5; i++) {
      assertNotAllowed(read(revoked));
      assertNotAllowed(read(outsider));
    }
    heal();
    awaitStatus(uncached, 200);
    awaitStatus(() -> strong(cached), 200);
    awaitStatus(revoked, 403);
    awaitStatus(outsider, 403);
  }

  private String subjectOf(String token) {
    String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    int at = payload.indexOf("\"sub\":\"") + 7;
    return payload.substring(at, payload.indexOf('"', at));
  }

  @Test
  void postgresCut() throws Exception {
    postgresFault(s.pg::cut);
  }

  @Test
  void postgresReset() throws Exception {
    postgresFault(s.pg::reset);
  }

  @Test
  void postgresBlackhole() throws Exception {
    postgresFault(s.pg::blackhole);
  }

  @Test
  void postgresSlowerThanTheDeadline() throws Exception {
    postgresFault(() -> s.pg.latency(300));
  }

  /** Redis faults: decisions stay exact (PostgreSQL answers), within the deadline. */
  private void redisFault(Runnable inject) {
    inject.run();
    for (int i = 0; i < 3; i++) {
      awaitStatus(token("viewer"), 200);
      awaitStatus(token(null), 403);
      String viewer = token("viewer");
      awaitStatus(() -> strong(viewer), 403);
      assertNotAllowed(read(token(null)));
    }
    heal();
    awaitStatus(token("viewer"), 200);
  }

  @Test
  void redisCut() {
    redisFault(s.redis::cut);
  }

  @Test
  void redisBlackhole() {
    redisFault(s.redis::blackhole);
  }

  @Test
  void redisLatency() {
    redisFault(() -> s.redis.latency(300));
  }

  @Test
  void natsCutThenRestored() throws Exception {
    String viewer = token("viewer");
    String user = subjectOf(viewer);
    awaitStatus(viewer, 200);
    s.nats.cut();
    // The event is lost for this replica; the degraded TTL (2 s here) bounds the stale answer.
    s.rows.removeMember(org, user);
    s.events.publish("member.removed", user, org);
    awaitStatus(viewer, 403);
    s.nats.heal();
    String staff = token("staff");
    String staffUser = subjectOf(staff);
    awaitStatus(staff, 200);
    Awaitility.await()
        .atMost(RECOVERY)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              // After the reconnect, events are applied again: each removal is seen.
              s.rows.member(org, staffUser, "staff");
              s.events.publish("member.added", staffUser, org);
              boolean allowed = status(read(staff)) == 200;
              s.rows.removeMember(org, staffUser);
              s.events.publish("member.removed", staffUser, org);
              return allowed
                  && Awaitility.await()
                      .atMost(Duration.ofMillis(1500))
                      .pollInterval(Duration.ofMillis(20))
                      .ignoreExceptions()
                      .until(() -> status(read(staff)) == 403, b -> b);
            });
  }

  @Test
  void jwksDownKeepsKnownKeysAndRefusesUnknownOnes() throws Exception {
    String viewer = token("viewer");
    awaitStatus(viewer, 200);
    s.jwks.cut();
    awaitStatus(token("viewer"), 200);
    String header = "{\"alg\":\"EdDSA\",\"kid\":\"rotated-" + System.nanoTime() + "\"}";
    String unknownKid = s.issuer.signRaw(header, "{\"sub\":\"x\"}");
    CheckResponse r = read(unknownKid);
    assertThat(status(r)).isEqualTo(401);
    s.jwks.heal();
    awaitStatus(token("viewer"), 200);
  }

  @Test
  void aFloodWithPostgresBlackholedIsAnsweredWithBoundedThreadsAndHeap() throws Exception {
    List<String> warm = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String t = token("viewer");
      awaitStatus(t, 200);
      warm.add(t);
    }
    List<String> cold = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      cold.add(token(i % 2 == 0 ? "viewer" : null));
    }
    System.gc();
    int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
    long heapBefore = usedHeap();
    s.pg.blackhole();
    List<CompletableFuture<CheckResponse>> futures = new ArrayList<>();
    List<Boolean> isCold = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      boolean c = i % 3 == 0;
      String t = c ? cold.get(i % cold.size()) : warm.get(i % warm.size());
      isCold.add(c);
      // NOTE: 2000 calls at once on two shared cores; the client deadline is generous so that
      // the test measures the server's answers, not the client's scheduling.
      futures.add(
          s.calls.checkAsync(
              EnvoyCalls.request(
                  "GET", "/api/orgs/" + org + "/leave", Map.of("authorization", "Bearer " + t)),
              10_000));
    }
    int allows = 0;
    int unavailable = 0;
    for (int i = 0; i < futures.size(); i++) {
      CheckResponse r = futures.get(i).get(15, TimeUnit.SECONDS);
      int st = status(r);
      if (isCold.get(i)) {
        assertThat(st).isEqualTo(503);
      } else {
        assertThat(st).isIn(200, 503);
      }
      allows += st == 200 ? 1 : 0;
      unavailable += st == 503 ? 1 : 0;
    }
    int threadsDuring = ManagementFactory.getThreadMXBean().getThreadCount();
    s.pg.heal();
    System.gc();
    long heapAfter = usedHeap();
    System.out.printf(
        "flood: 2000 answered, %d allows (cached), %d 503s; threads %d -> %d; heap %d MB -> %d MB%n",
        allows, unavailable, threadsBefore, threadsDuring, heapBefore >> 20, heapAfter >> 20);
    assertThat(threadsDuring).isLessThan(threadsBefore + 64);
    assertThat(heapAfter).isLessThan(heapBefore + (256L << 20));
    awaitStatus(cold.get(0), 200);
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
