package dev.betterauthz.jmh;

import dev.betterauthz.token.BearerTokens;
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
 * {@link BearerTokens#parse} of an {@code authorization} header carrying a Better Auth EdDSA JWT
 * (~400 characters): the syntax check every request pays before the token cache is consulted.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BearerTokenBenchmark {
  private String header;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    try (JmhKeys keys = JmhKeys.start("EdDSA")) {
      header = "Bearer " + keys.mint("user-1", "org-1", "viewer");
    }
    if (!(BearerTokens.parse(header) instanceof BearerTokens.Present)) {
      throw new IllegalStateException("the benchmark header is not a bearer token");
    }
  }

  @Benchmark
  public BearerTokens.Parsed parse() {
    return BearerTokens.parse(header);
  }
}
