package dev.betterauthz.jmh;

import dev.betterauthz.config.AppConfig.CacheConfig;
import dev.betterauthz.decision.Decision;
import dev.betterauthz.observability.Metrics;
import dev.betterauthz.observability.MetricsObserver;
import dev.betterauthz.pipeline.AccessRequest;
import dev.betterauthz.pipeline.ClaimsTier;
import dev.betterauthz.pipeline.CredentialAuthenticator;
import dev.betterauthz.pipeline.OrgRoles;
import dev.betterauthz.pipeline.PipelineAuthorizer;
import dev.betterauthz.pipeline.PipelineParts;
import dev.betterauthz.policy.Policy;
import dev.betterauthz.policy.PolicyLoader;
import dev.betterauthz.tenancy.Access;
import dev.betterauthz.tenancy.AccessRepository;
import dev.betterauthz.tenancy.CacheCoherence;
import dev.betterauthz.tenancy.CacheTtls;
import dev.betterauthz.tenancy.EventRevocationLog;
import dev.betterauthz.tenancy.LocalAccessCache;
import dev.betterauthz.tenancy.TieredAccessResolver;
import dev.betterauthz.token.HttpJwksSource;
import dev.betterauthz.token.Jose4jTokenVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One in-process decision through {@link PipelineAuthorizer} as the server assembles it: the bench
 * policy, the real EdDSA verifier with its token cache, the real {@link LocalAccessCache} in front
 * of an in-memory repository, metrics observed. After set-up every token is cached and every role
 * is a local hit ({@code route=cached}), or comes from the token's claims ({@code route=claims}).
 * 1,000 users in 100 organizations, cycled.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecisionBenchmark {
  private static final int USERS = 1024;

  @Param({"cached", "claims"})
  public String route;

  private JmhKeys keys;
  private HttpJwksSource source;
  private PipelineAuthorizer authorizer;
  private final AccessRequest[] requests = new AccessRequest[USERS];
  private final AtomicLong repositoryLoads = new AtomicLong();
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    keys = JmhKeys.start("EdDSA");
    var jwt = keys.config(100_000);
    source = new HttpJwksSource(jwt, Clock.systemUTC());
    source.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Policy policy = PolicyLoader.parse(benchPolicy(), "bench/policy.yaml");
    CacheConfig cache = new CacheConfig(Duration.ofHours(1), 200_000, Duration.ofSeconds(5), true);
    TieredAccessResolver resolver =
        new TieredAccessResolver(
            new LocalAccessCache(cache),
            Optional.empty(),
            new MemberRepository(repositoryLoads),
            new CacheCoherence(Duration.ofSeconds(4), true),
            new CacheTtls(
                Duration.ofHours(1),
                Duration.ofHours(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(5)),
            Clock.systemUTC());
    PipelineParts parts =
        new PipelineParts(
            () -> policy,
            new CredentialAuthenticator(
                new Jose4jTokenVerifier(jwt, source, Clock.systemUTC()),
                Optional.empty(),
                "better-auth"),
            resolver,
            new ClaimsTier(
                new EventRevocationLog(Duration.ofHours(1), 1_000_000),
                jwt.orgClaim(),
                jwt.orgRoleClaim()),
            OrgRoles.NONE);
    authorizer = new PipelineAuthorizer(parts, new MetricsObserver(new Metrics()));
    String path = route.equals("claims") ? "/leave" : "/projects";
    for (int i = 0; i < USERS; i++) {
      String org = "org-" + (i % 100);
      String token = keys.mint("user-" + i, org, "viewer");
      requests[i] =
          new AccessRequest(
              "GET",
              "/api/orgs/" + org + path + "?page=1",
              Map.of("authorization", "Bearer " + token, "x-request-id", "jmh-" + i),
              Map.of(),
              Long.MAX_VALUE);
      if (!(decide(requests[i]) instanceof Decision.Allow)) {
        throw new IllegalStateException("the benchmark request is not allowed");
      }
    }
    repositoryLoads.set(0);
  }

  @Benchmark
  public Decision decide() throws Exception {
    next = (next + 1) & (USERS - 1);
    return decide(requests[next]);
  }

  private Decision decide(AccessRequest request) throws Exception {
    return authorizer.authorize(request).toCompletableFuture().get();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (repositoryLoads.get() != 0) {
      throw new IllegalStateException(
          repositoryLoads.get() + " repository loads during measurement: not all cache hits");
    }
    source.close();
    keys.close();
  }

  private static String benchPolicy() throws IOException {
    try (InputStream in = DecisionBenchmark.class.getResourceAsStream("/bench/policy.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Every user is a viewer of the organization its token names; counts loads. */
  private static final class MemberRepository implements AccessRepository {
    private final AtomicLong loads;

    MemberRepository(AtomicLong loads) {
      this.loads = loads;
    }

    @Override
    public CompletionStage<Access> load(String userId, Optional<String> orgId) {
      loads.incrementAndGet();
      return CompletableFuture.completedFuture(
          new Access(
              true,
              List.of("user"),
              false,
              orgId.isPresent() ? List.of("viewer") : List.of(),
              Access.Tier.POSTGRES));
    }

    @Override
    public CompletionStage<Optional<String>> organizationIdBySlug(String slug) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
  }
}
