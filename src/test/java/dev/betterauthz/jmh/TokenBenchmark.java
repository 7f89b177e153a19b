package dev.betterauthz.jmh;

import dev.betterauthz.token.HttpJwksSource;
import dev.betterauthz.token.Jose4jTokenVerifier;
import dev.betterauthz.token.TokenResult;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
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
 * {@link Jose4jTokenVerifier#verify} of a valid token, EdDSA (Better Auth's default) and RS256:
 * {@code cached} cycles through 1,024 tokens that all fit the token cache (a hit revalidates only
 * time and key); {@code uncached} uses a verifier without token cache, so every call parses the
 * token and checks its signature.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenBenchmark {
  private static final int TOKENS = 1024;

  @Param({"EdDSA", "RS256"})
  public String alg;

  @Param({"cached", "uncached"})
  public String cache;

  private JmhKeys keys;
  private HttpJwksSource source;
  private Jose4jTokenVerifier verifier;
  private final String[] tokens = new String[TOKENS];
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    keys = JmhKeys.start(alg);
    var config = keys.config(cache.equals("cached") ? 100_000 : 0);
    source = new HttpJwksSource(config, Clock.systemUTC());
    source.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
    verifier = new Jose4jTokenVerifier(config, source, Clock.systemUTC());
    for (int i = 0; i < TOKENS; i++) {
      tokens[i] = keys.mint("user-" + i, "org-" + (i % 100), "viewer");
      if (!(verify(tokens[i]) instanceof TokenResult.Valid)) {
        throw new IllegalStateException("the benchmark token is not valid");
      }
    }
  }

  @Benchmark
  public TokenResult verify() throws Exception {
    next = (next + 1) & (TOKENS - 1);
    return verify(tokens[next]);
  }

  private TokenResult verify(String token) throws Exception {
    return verifier.verify(token).toCompletableFuture().get();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    source.close();
    keys.close();
  }
}
