package dev.betterauthz.bench;

import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Runs scenarios one after the other: the baseline against the no-op server in a child JVM, the
 * others against better-authz started as a child JVM with the scenario's settings (or against
 * {@code --target}). Owns the shared fixtures (Ed25519 key, JWKS endpoint, data set, policy file)
 * and closes them at the end. Not thread-safe.
 */
final class ScenarioRunner implements AutoCloseable {
  static final String SERVER_MAIN = "dev.betterauthz.Main";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final int PRIME_CALLS = 20;

  private final BenchSettings settings;
  private final String serverMain;
  private final PrintStream progress;
  private final Path workDir;
  private final TokenMinter minter = TokenMinter.generate(Duration.ofHours(2));
  private final RequestPool pool;
  private JwksEndpoint jwks;
  private BenchData data;

  ScenarioRunner(BenchSettings settings, PrintStream progress) throws IOException {
    this(settings, SERVER_MAIN, progress);
  }

  /** Starts {@code serverMain} as the server under test (tests substitute a stand-in). */
  ScenarioRunner(BenchSettings settings, String serverMain, PrintStream progress)
      throws IOException {
    this.settings = settings;
    this.serverMain = serverMain;
    this.progress = progress;
    this.workDir = Files.createTempDirectory("better-authz-bench");
    this.pool =
        new RequestPool(
            minter, i -> BenchData.member(settings.runId(), settings.organizations(), i));
  }

  /** Runs one scenario. */
  ScenarioResult run(Scenario scenario) throws Exception {
    progress.printf("bench: %s ...%n", scenario.id());
    Supplier<CheckRequest> requests =
        pool.requests(scenario, settings.hotUsers(), settings.users());
    if (scenario == Scenario.BASELINE) {
      try (ChildJvm noop =
          ChildJvm.start(NoopCheckServer.class.getName(), Map.of(), log("baseline"))) {
        int port = noop.awaitPortLine(NoopCheckServer.PORT_LINE_PREFIX, START_TIMEOUT);
        return measure(scenario, "127.0.0.1", port, requests);
      }
    }
    prepareServerFixtures();
    if (settings.target().isPresent()) {
      String[] hostPort = settings.target().get().split(":", 2);
      return measure(scenario, hostPort[0], Integer.parseInt(hostPort[1]), requests);
    }
    int grpcPort = ChildJvm.freePort();
    int httpPort = ChildJvm.freePort();
    Path log = log(scenario.id());
    try (ChildJvm server =
        ChildJvm.start(serverMain, environment(scenario, grpcPort, httpPort), log)) {
      server.awaitReady(URI.create("http://127.0.0.1:" + httpPort + "/readyz"), START_TIMEOUT);
      ScenarioResult result = measure(scenario, "127.0.0.1", grpcPort, requests);
      Files.deleteIfExists(log);
      return result;
    }
  }

  private ScenarioResult measure(
      Scenario scenario, String host, int port, Supplier<CheckRequest> requests) throws Exception {
    List<ManagedChannel> channels = LoadGenerator.openChannels(host, port, settings.connections());
    try {
      LoadGenerator generator = new LoadGenerator(channels, requests);
      long jwksBefore = jwks == null ? 0 : jwks.fetches();
      generator.prime(PRIME_CALLS, START_TIMEOUT);
      Optional<RoleChangeEvents> events = roleChanges(scenario);
      RunResult closed;
      RunResult open;
      try {
        closed =
            generator.closedLoop(settings.concurrency(), settings.warmup(), settings.duration());
        open = generator.openLoop(settings.rate(), settings.warmup(), settings.duration());
      } finally {
        if (events.isPresent()) {
          events.get().close();
        }
      }
      OptionalLong fetches =
          scenario == Scenario.BASELINE
              ? OptionalLong.empty()
              : OptionalLong.of(jwks.fetches() - jwksBefore);
      return new ScenarioResult(
          scenario, closed, open, fetches, events.map(RoleChangeEvents::published).orElse(0L));
    } finally {
      LoadGenerator.close(channels);
    }
  }

  private Optional<RoleChangeEvents> roleChanges(Scenario scenario) throws Exception {
    if (scenario != Scenario.MIXED || settings.roleChangesPerSecond() <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        RoleChangeEvents.start(
            settings.natsUrl(),
            data,
            RequestPool.zipfUsers(settings.users()),
            settings.roleChangesPerSecond()));
  }

  private void prepareServerFixtures() throws IOException {
    if (jwks == null) {
      jwks = JwksEndpoint.start(minter.jwksJson(), settings.jwksPort());
    }
    if (data == null && settings.target().isEmpty()) {
      progress.printf(
          "bench: creating data set %s (%d users, %d organizations)%n",
          settings.runId(), settings.users(), settings.organizations());
      data =
          BenchData.create(
              settings.databaseUrl(), settings.runId(), settings.users(), settings.organizations());
    }
  }

  /** The server's settings for {@code scenario} (DESIGN.md §3 names). */
  Map<String, String> environment(Scenario scenario, int grpcPort, int httpPort)
      throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("AUTHZ_GRPC_PORT", Integer.toString(grpcPort));
    env.put("AUTHZ_HTTP_PORT", Integer.toString(httpPort));
    env.put("AUTHZ_POLICY_FILE", policyFile().toString());
    env.put("AUTHZ_JWKS_URL", jwks.url().toString());
    env.put("AUTHZ_JWT_ISSUER", TokenMinter.ISSUER);
    env.put("AUTHZ_JWT_AUDIENCE", TokenMinter.AUDIENCE);
    env.put("AUTHZ_DATABASE_URL", data.url());
    env.put("AUTHZ_REDIS_URL", settings.redisUrl());
    env.put("AUTHZ_NATS_URL", settings.natsUrl());
    env.put("AUTHZ_PERM_CACHE_TTL", "5m");
    env.put("AUTHZ_TOKEN_CACHE_SIZE", Integer.toString(Math.max(100_000, 2 * settings.users())));
    // Sampled allow lines would measure the log appender, not the decision; denies are still
    // logged.
    env.put("AUTHZ_LOG_ALLOW_SAMPLE", "0");
    // The doctor's checks run once at start and only log: on a starved machine their 1 s query
    // timeout can fire, which must not abort a run whose hot path they do not touch.
    env.put("AUTHZ_STARTUP_CHECKS", "warn");
    env.putAll(scenario.environment());
    return env;
  }

  private Path policyFile() throws IOException {
    Path file = workDir.resolve("policy.yaml");
    if (!Files.exists(file)) {
      try (InputStream in = ScenarioRunner.class.getResourceAsStream("/bench/policy.yaml")) {
        Files.copy(in, file);
      }
    }
    return file;
  }

  private Path log(String name) {
    return workDir.resolve(name + ".log");
  }

  @Override
  public void close() {
    if (jwks != null) {
      jwks.close();
    }
    if (data != null && !settings.keepData()) {
      data.close();
    }
  }
}
