package dev.betterauthz.app;

import dev.betterauthz.config.AppConfig;
import dev.betterauthz.config.ConfigDescription;
import dev.betterauthz.extauthz.AuthorizationService;
import dev.betterauthz.extauthz.GrpcServer;
import dev.betterauthz.health.HealthReporter;
import dev.betterauthz.health.Readiness;
import dev.betterauthz.http.ForwardAuthServer;
import dev.betterauthz.http.HealthProbe;
import dev.betterauthz.observability.DecisionLog;
import dev.betterauthz.observability.DecisionObservers;
import dev.betterauthz.observability.Metrics;
import dev.betterauthz.observability.MetricsObserver;
import dev.betterauthz.observability.StartupSummary;
import dev.betterauthz.pipeline.ClaimsTier;
import dev.betterauthz.pipeline.DecisionObserver;
import dev.betterauthz.pipeline.PipelineAuthorizer;
import dev.betterauthz.pipeline.PipelineParts;
import dev.betterauthz.policy.Policy;
import dev.betterauthz.policy.PolicyException;
import dev.betterauthz.policy.PolicyLoader;
import dev.betterauthz.policy.PolicyWatcher;
import dev.betterauthz.policy.ReloadOutcome;
import dev.betterauthz.tenancy.invalidation.EventKind;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole server, assembled from {@link AppConfig}: policy, credentials, role tiers, pipeline,
 * the gRPC and HTTP listeners, readiness and metrics. {@link #start} returns once both listeners
 * are bound and warm-up has run; {@link #close} drains in-flight checks, then releases everything.
 */
public final class Server implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Server.class);
  static final String VERSION = "0.1.0";

  private final AppConfig config;
  private final Backends backends;
  private final Credentials credentials;
  private final Tenancy tenancy;
  private final PolicyWatcher policy;
  private final Metrics metrics = new Metrics();
  private final Readiness readiness = new Readiness();
  private final HealthReporter health;
  private final PipelineParts parts;
  private final PipelineAuthorizer authorizer;
  private final AuthorizationService service;
  private final GrpcServer grpc;
  private final ForwardAuthServer http;
  private final AtomicBoolean closed = new AtomicBoolean();
  private int httpPort;

  private Server(AppConfig config, Policy initial, Clock clock) {
    this.config = config;
    this.backends = new Backends(config);
    this.credentials = new Credentials(config, backends, clock);
    this.tenancy = new Tenancy(config, backends, clock);
    credentials.sessions.ifPresent(
        sessions ->
            tenancy.nats.ifPresent(
                nats -> {
                  nats.addHandler(
                      EventKind.SESSION_REVOKED, e -> e.userId().ifPresent(sessions::evictUser));
                  nats.addHandler(
                      EventKind.USER_BANNED, e -> e.userId().ifPresent(sessions::evictUser));
                }));
    this.policy =
        new PolicyWatcher(
            config.policy().file(), initial, config.policy().reloadPoll(), this::reloaded);
    this.parts =
        new PipelineParts(
            policy,
            credentials.authenticator,
            tenancy.resolver,
            new ClaimsTier(
                tenancy.revocations, config.jwt().orgClaim(), config.jwt().orgRoleClaim()),
            tenancy.orgRoles);
    this.authorizer =
        new PipelineAuthorizer(
            parts,
            DecisionObservers.all(
                new MetricsObserver(metrics), new DecisionLog(config.log().allowSampleRate())));
    readiness
        .require("jwks", credentials.keys::isReady)
        .require("postgres", backends::postgresUp)
        .require("policy", () -> policy.current() != null)
        .degradeWithout("redis", tenancy::redisAvailable)
        .degradeWithout("nats", tenancy::natsConnected);
    this.health = new HealthReporter(readiness);
    this.service = new AuthorizationService(authorizer);
    this.grpc =
        new GrpcServer(
            config.server().bindAddress(), config.server().grpcPort(), service, health.service());
    MetricsBridge bridge =
        new MetricsBridge(metrics, tenancy.resolver, credentials.keys, tenancy.nats);
    metrics.gauge("authz.policy.routes", () -> policy.current().routes().routes().size());
    this.http =
        new ForwardAuthServer(
            backends.vertx, config.server(), authorizer, probe(readiness), bridge::scrape);
  }

  /**
   * Loads the policy, connects the backends, binds both listeners and warms up.
   *
   * @throws PolicyException when the policy file is invalid (nothing is started then)
   */
  public static Server start(AppConfig config) throws Exception {
    return start(config, Clock.systemUTC());
  }

  static Server start(AppConfig config, Clock clock) throws Exception {
    long begin = System.nanoTime();
    Policy initial = PolicyLoader.load(config.policy().file());
    initial.warnings().forEach(w -> log.warn("policy: {}", w));
    Server server = new Server(config, initial, clock);
    try {
      server.boot();
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
    StartupSummary.log(
        VERSION, Duration.ofNanos(System.nanoTime() - begin), ConfigDescription.describe(config));
    return server;
  }

  private void boot() throws Exception {
    credentials
        .keys
        .start()
        .toCompletableFuture()
        .handle((ok, e) -> null)
        .get(config.jwt().jwksFetchTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    if (!credentials.keys.isReady()) {
      log.warn("JWKS not loaded yet; not ready until it is (retrying in the background)");
    }
    tenancy.start();
    policy.start();
    grpc.start();
    httpPort = http.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
    StartupChecks.run(config, backends);
    // Warm-up decisions go through the same pipeline but are neither logged nor counted.
    Warmup.run(new AuthorizationService(new PipelineAuthorizer(parts, DecisionObserver.NONE)));
    readiness.warmedUp();
    health.start(Duration.ofSeconds(1));
    health.refresh();
  }

  private void reloaded(ReloadOutcome outcome) {
    if (outcome instanceof ReloadOutcome.Reloaded) {
      metrics.policyReload(true);
      log.info("policy reloaded from {}", config.policy().file());
    } else if (outcome instanceof ReloadOutcome.Rejected) {
      metrics.policyReload(false);
    }
  }

  private static HealthProbe probe(Readiness readiness) {
    return new HealthProbe() {
      @Override
      public boolean ready() {
        return readiness.ready();
      }

      @Override
      public Map<String, String> detail() {
        return readiness.detail();
      }
    };
  }

  public int grpcPort() {
    return grpc.port();
  }

  public int httpPort() {
    return httpPort;
  }

  public PipelineAuthorizer authorizer() {
    return authorizer;
  }

  public Readiness readiness() {
    return readiness;
  }

  /**
   * Stops taking checks (NOT_SERVING), drains the ones in flight, then releases everything. Only
   * the first call does anything (a shutdown hook and an explicit close may both call it).
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long begin = System.nanoTime();
    readiness.draining();
    health.refresh();
    try {
      long cut = grpc.drain(config.server().shutdownGrace());
      http.stop().toCompletableFuture().get(5, TimeUnit.SECONDS);
      log.info(
          "drained in {} ms ({} checks cut at the grace limit)",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
          cut);
    } catch (Exception e) {
      log.warn("shutdown: {}", e.toString());
    }
    health.close();
    policy.close();
    try {
      tenancy.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    credentials.close();
    backends.close();
  }
}
