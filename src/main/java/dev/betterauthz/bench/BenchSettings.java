package dev.betterauthz.bench;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything a benchmark run needs, parsed from the command line ({@link BenchCommand}).
 *
 * @param target a running server ({@code host:port} of its gRPC listener) instead of starting one
 * @param runId names the data set (database {@code bench_<runId>}, ids {@code user-<runId>-<i>})
 * @param keepData keep the data set's database after the run (for {@code --target} runs)
 * @param jwksPort port of the bench's JWKS endpoint (0 = any free port)
 */
public record BenchSettings(
    List<Scenario> scenarios,
    Duration duration,
    Duration warmup,
    int concurrency,
    int rate,
    int connections,
    Optional<String> target,
    String databaseUrl,
    String redisUrl,
    String natsUrl,
    int users,
    int organizations,
    int hotUsers,
    int roleChangesPerSecond,
    String runId,
    boolean keepData,
    int jwksPort) {}
