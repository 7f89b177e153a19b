package dev.betterauthz.jmh;

import dev.betterauthz.policy.Policy;
import dev.betterauthz.policy.PolicyLoader;
import dev.betterauthz.policy.RouteMatch;
import dev.betterauthz.policy.RouteTable;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link RouteTable#match} over a policy of 500 routes (250 exact paths and 250 prefixes, each with
 * an {@code {org}} parameter): {@code hit} cycles through paths of all of them, {@code miss}
 * through paths no route matches (the default rule applies).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouteMatchBenchmark {
  private static final int ROUTES = 500;
  private static final int PATHS = 512;

  private RouteTable table;
  private final String[] hits = new String[PATHS];
  private final String[] misses = new String[PATHS];
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    StringBuilder yaml = new StringBuilder("roles:\n  viewer: [\"x:read\"]\nroutes:\n");
    for (int i = 0; i < ROUTES; i++) {
      String match =
          i % 2 == 0
              ? "path: \"/api/v1/orgs/{org}/service" + i + "/items/{id}\""
              : "prefix: \"/api/v2/orgs/{org}/area" + i + "\"";
      yaml.append("  - name: r")
          .append(i)
          .append("\n    match: { methods: [GET], ")
          .append(match)
          .append(" }\n    tenant: { path: org }\n    require: [\"x:read\"]\n");
    }
    yaml.append("default: deny\n");
    Policy policy = PolicyLoader.parse(yaml.toString(), "routes-500.yaml");
    table = policy.routes();
    for (int p = 0; p < PATHS; p++) {
      int i = (p * 7919) % ROUTES;
      hits[p] =
          i % 2 == 0
              ? "/api/v1/orgs/org-" + p + "/service" + i + "/items/" + p
              : "/api/v2/orgs/org-" + p + "/area" + i + "/sub/" + p;
      misses[p] = "/api/v3/orgs/org-" + p + "/unknown" + i + "/items/" + p;
      if (table.match("GET", hits[p]).isEmpty() || table.match("GET", misses[p]).isPresent()) {
        throw new IllegalStateException("route table does not match as the benchmark assumes");
      }
    }
  }

  @Benchmark
  public Optional<RouteMatch> hit() {
    next = (next + 1) & (PATHS - 1);
    return table.match("GET", hits[next]);
  }

  @Benchmark
  public Optional<RouteMatch> miss() {
    next = (next + 1) & (PATHS - 1);
    return table.match("GET", misses[next]);
  }
}
