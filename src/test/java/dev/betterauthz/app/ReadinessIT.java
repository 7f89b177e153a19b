package dev.betterauthz.app;

import static dev.betterauthz.app.OpsProbes.AUTHORIZATION;
import static dev.betterauthz.app.OpsProbes.health;
import static dev.betterauthz.app.OpsProbes.readyz;
import static dev.betterauthz.testsupport.ServerHarness.status;
import static dev.betterauthz.testsupport.ServerHarness.viaPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.tenancy.TcpProxy;
import dev.betterauthz.testsupport.ServerHarness;
import dev.betterauthz.testsupport.TestServices;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Readiness end to end, as Kubernetes ({@code /readyz}) and Envoy ({@code grpc.health.v1.Health})
 * see it, while real dependencies fail: a required one (JWKS, PostgreSQL) makes the server unready,
 * an optional one (Redis, NATS) only degrades it, and a drain stops it serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadinessIT {
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
  private static final Duration FEW_SECONDS = Duration.ofSeconds(10);

  private final TcpProxy postgres = new TcpProxy("127.0.0.1", port(TestServices.databaseUrl()));
  private final TcpProxy redis = new TcpProxy("127.0.0.1", port(TestServices.redisUrl()));
  private final TcpProxy nats = new TcpProxy("127.0.0.1", port(TestServices.natsUrl()));
  private ServerHarness h;
  private String org;

  @BeforeAll
  void start() throws Exception {
    postgres.start();
    redis.start();
    nats.start();
    h =
        new ServerHarness(
            "readiness",
            SchemaNaming.PLURAL_SNAKE,
            POLICY,
            env -> {
              env.put(
                  "AUTHZ_DATABASE_URL", viaPort(env.get("AUTHZ_DATABASE_URL"), postgres.port()));
              env.put("AUTHZ_REDIS_URL", viaPort(env.get("AUTHZ_REDIS_URL"), redis.port()));
              env.put("AUTHZ_NATS_URL", viaPort(env.get("AUTHZ_NATS_URL"), nats.port()));
            },
            true);
    org = h.rows.organization("readiness");
  }

  @AfterAll
  void stop() throws Exception {
    h.close();
    postgres.close();
    redis.close();
    nats.close();
  }

  private static int port(String url) {
    return URI.create(url).getPort();
  }

  private void assertServing(ServingStatus expected) {
    assertThat(health(h.channel(), "")).isEqualTo(expected);
    assertThat(health(h.channel(), AUTHORIZATION)).isEqualTo(expected);
  }

  /** A check by a fresh member, so the role is asked of Redis (a local-cache miss). */
  private int checkByNewMember() {
    String user = h.rows.user("user");
    h.rows.member(org, user, "viewer");
    return status(h.check("GET", "/api/orgs/" + org + "/leave", h.issuer.mint(user, Map.of())));
  }

  @Test
  @Order(1)
  void readyWithEveryDependency() {
    await("every check ok")
        .atMost(FEW_SECONDS)
        .until(
            () ->
                !readyz(h.server.httpPort()).body().path("checks").toString().contains("degraded"));
    OpsProbes.Ready ready = readyz(h.server.httpPort());
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body().path("status").asText()).isEqualTo("ready");
    for (String check : List.of("jwks", "postgres", "policy", "redis", "nats")) {
      assertThat(ready.check(check)).as(check).isEqualTo("ok");
    }
    assertServing(ServingStatus.SERVING);
    assertThat(OpsProbes.get(h.server.httpPort(), "/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void postgresCutMakesItUnreadyUntilItIsBack() throws Exception {
    postgres.stop();
    try {
      await("not ready without PostgreSQL")
          .atMost(FEW_SECONDS)
          .until(() -> readyz(h.server.httpPort()).status() == 503);
      assertThat(readyz(h.server.httpPort()).check("postgres")).isEqualTo("down");
      await("NOT_SERVING without PostgreSQL")
          .atMost(FEW_SECONDS)
          .untilAsserted(() -> assertServing(ServingStatus.NOT_SERVING));
      assertThat(OpsProbes.get(h.server.httpPort(), "/healthz").statusCode())
          .as("liveness does not depend on PostgreSQL")
          .isEqualTo(200);
    } finally {
      postgres.start();
    }
    await("ready again")
        .atMost(FEW_SECONDS)
        .until(() -> readyz(h.server.httpPort()).status() == 200);
    await("SERVING again")
        .atMost(FEW_SECONDS)
        .untilAsserted(() -> assertServing(ServingStatus.SERVING));
  }

  @Test
  @Order(3)
  void redisCutOnlyDegrades() throws Exception {
    assertThat(checkByNewMember()).isEqualTo(200);
    redis.stop();
    try {
      // No request needs Redis meanwhile: the periodic PING notices the outage on its own.
      await("redis degraded")
          .atMost(FEW_SECONDS)
          .until(() -> "degraded".equals(readyz(h.server.httpPort()).check("redis")));
      assertThat(readyz(h.server.httpPort()).status()).isEqualTo(200);
      assertServing(ServingStatus.SERVING);
      assertThat(checkByNewMember()).as("decided from PostgreSQL without Redis").isEqualTo(200);
    } finally {
      redis.start();
    }
    await("redis ok again")
        .atMost(FEW_SECONDS)
        .until(() -> "ok".equals(readyz(h.server.httpPort()).check("redis")));
  }

  @Test
  @Order(4)
  void natsDownOnlyDegrades() throws Exception {
    nats.stop();
    try {
      await("nats degraded")
          .atMost(FEW_SECONDS)
          .until(() -> "degraded".equals(readyz(h.server.httpPort()).check("nats")));
      assertThat(readyz(h.server.httpPort()).status()).isEqualTo(200);
      assertServing(ServingStatus.SERVING);
      assertThat(checkByNewMember()).isEqualTo(200);
    } finally {
      nats.start();
    }
    await("nats ok again")
        .atMost(FEW_SECONDS)
        .until(() -> "ok".equals(readyz(h.server.httpPort()).check("nats")));
  }

  @Test
  @Order(5)
  void drainingStopsServingBeforeTheListenersClose() throws Exception {
    List<ServingStatus> watched = watch(h, "");
    await().atMost(FEW_SECONDS).until(() -> watched.contains(ServingStatus.SERVING));
    Thread closer = new Thread(h.server::close, "test-close");
    closer.start();
    // The open Watch stream is an in-flight call: the drain waits for it up to the grace (2s).
    await("NOT_SERVING on drain")
        .atMost(FEW_SECONDS)
        .until(() -> last(watched) == ServingStatus.NOT_SERVING);
    OpsProbes.Ready ready = readyz(h.server.httpPort());
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.body().path("checks").path("draining").asText()).isEqualTo("true");
    closer.join(TimeUnit.SECONDS.toMillis(15));
    assertThat(closer.isAlive()).isFalse();
  }

  @Test
  @Order(0)
  void unreachableJwksAtStartMeansNotReadyUntilItAnswers() throws Exception {
    TcpProxy[] jwks = new TcpProxy[1];
    try (ServerHarness j =
        new ServerHarness(
            "readiness-jwks",
            SchemaNaming.PLURAL_SNAKE,
            POLICY,
            env -> {
              URI url = URI.create(env.get("AUTHZ_JWKS_URL"));
              String origin = "http://127.0.0.1:" + url.getPort();
              try {
                jwks[0] = new TcpProxy("127.0.0.1", url.getPort()).start();
                jwks[0].stop();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              env.put("AUTHZ_JWKS_URL", viaPort(url.toString(), jwks[0].port()));
              env.put("AUTHZ_JWT_ISSUER", origin);
              env.put("AUTHZ_JWT_AUDIENCE", origin);
            },
            false)) {
      try {
        OpsProbes.Ready ready = readyz(j.server.httpPort());
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.check("jwks")).isEqualTo("down");
        assertThat(health(j.channel(), "")).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(health(j.channel(), AUTHORIZATION)).isEqualTo(ServingStatus.NOT_SERVING);
        List<ServingStatus> watched = watch(j, AUTHORIZATION);
        await().atMost(FEW_SECONDS).until(() -> watched.contains(ServingStatus.NOT_SERVING));

        jwks[0].start();
        // Default settings: the JWKS refresh period is 5 minutes; readiness must not wait for it.
        await("ready once the JWKS answers")
            .atMost(FEW_SECONDS)
            .until(() -> readyz(j.server.httpPort()).status() == 200);
        await("Watch streams SERVING")
            .atMost(FEW_SECONDS)
            .until(() -> last(watched) == ServingStatus.SERVING);
        assertThat(watched).containsSubsequence(ServingStatus.NOT_SERVING, ServingStatus.SERVING);
        assertThat(health(j.channel(), "")).isEqualTo(ServingStatus.SERVING);
        String user = j.rows.user("user");
        assertThat(status(j.check("GET", "/api/orgs/x/leave", j.issuer.mint(user, Map.of()))))
            .as("token verified with the late keys (not a member: 403)")
            .isEqualTo(403);
      } finally {
        jwks[0].close();
      }
    }
  }

  private static ServingStatus last(List<ServingStatus> seen) {
    return seen.isEmpty() ? null : seen.get(seen.size() - 1);
  }

  private static List<ServingStatus> watch(ServerHarness server, String service) {
    List<ServingStatus> seen = new CopyOnWriteArrayList<>();
    HealthGrpc.newStub(server.channel())
        .watch(
            HealthCheckRequest.newBuilder().setService(service).build(),
            new StreamObserver<>() {
              @Override
              public void onNext(HealthCheckResponse value) {
                seen.add(value.getStatus());
              }

              @Override
              public void onError(Throwable t) {
                // the stream ends when the server stops
              }

              @Override
              public void onCompleted() {
                // idem
              }
            });
    return seen;
  }
}
