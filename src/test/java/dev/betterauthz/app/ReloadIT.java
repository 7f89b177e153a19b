package dev.betterauthz.app;

import static dev.betterauthz.app.OpsProbes.metrics;
import static dev.betterauthz.app.OpsProbes.sample;
import static dev.betterauthz.testsupport.ServerHarness.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.testsupport.ServerHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Policy hot reload on the real server while four threads keep checking: a valid change applies, an
 * invalid file is rejected (the previous policy keeps serving, the failure is counted), a fix
 * applies again, and no check ever fails or errors in between.
 */
class ReloadIT {
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
  static final String RELAXED =
      POLICY.replace("require: [\"leave:approve\"]", "require: [\"leave:read\"]");
  static final String INVALID = RELAXED.replace("tenant: { path: org }", "tenant: { path: nope }");
  private static final String FAILURES = "authz_policy_reloads_total{outcome=\"failure\"}";
  private static final String SUCCESSES = "authz_policy_reloads_total{outcome=\"success\"}";

  @Test
  void reloadsWhileChecksKeepFlowing() throws Exception {
    try (ServerHarness h =
        new ServerHarness("reload", SchemaNaming.PLURAL_SNAKE, POLICY, Map.of())) {
      String org = h.rows.organization("reload");
      String user = h.rows.user("user");
      h.rows.member(org, user, "viewer");
      String token = h.issuer.mint(user, Map.of());
      String read = "/api/orgs/" + org + "/leave";
      String approve = "/api/orgs/" + org + "/leave/7/approve";
      assertThat(status(h.check("POST", approve, token))).isEqualTo(403);

      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger checks = new AtomicInteger();
      Queue<String> failures = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<Future<?>> workers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        workers.add(
            pool.submit(
                () -> {
                  while (running.get()) {
                    try {
                      int r = status(h.check("GET", read, token));
                      int a = status(h.check("POST", approve, token));
                      checks.addAndGet(2);
                      if (r != 200 || (a != 200 && a != 403)) {
                        failures.add("read " + r + ", approve " + a);
                      }
                    } catch (RuntimeException e) {
                      failures.add(e.toString());
                    }
                  }
                }));
      }
      try {
        replace(h.policyFile, RELAXED);
        await("relaxed policy applies")
            .atMost(Duration.ofSeconds(10))
            .until(() -> status(h.check("POST", approve, token)) == 200);
        assertThat(sample(metrics(h.server.httpPort()), SUCCESSES)).isEqualTo(1.0);

        replace(h.policyFile, INVALID);
        await("invalid policy rejected and counted")
            .atMost(Duration.ofSeconds(10))
            .until(() -> sample(metrics(h.server.httpPort()), FAILURES) == 1.0);
        assertThat(status(h.check("POST", approve, token)))
            .as("the previous (relaxed) policy keeps serving")
            .isEqualTo(200);

        replace(h.policyFile, POLICY);
        await("fixed policy applies")
            .atMost(Duration.ofSeconds(10))
            .until(() -> status(h.check("POST", approve, token)) == 403);
        assertThat(sample(metrics(h.server.httpPort()), SUCCESSES)).isEqualTo(2.0);
      } finally {
        running.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      assertThat(failures).as("failed or errored checks during reloads").isEmpty();
      assertThat(checks.get()).isGreaterThan(20);
    }
  }

  /** Replaces the file atomically, as a Kubernetes ConfigMap update or an editor's save does. */
  private static void replace(Path file, String content) throws Exception {
    Path next = Files.createTempFile(file.getParent(), "policy", ".next");
    Files.writeString(next, content, StandardCharsets.UTF_8);
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
