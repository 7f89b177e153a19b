package dev.betterauthz.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code better-authz bench}: measures Check throughput (closed loop) and latency (open loop,
 * coordinated-omission safe) of each scenario, as ratios to a no-op Check server measured in the
 * same run, and prints (or writes between the markers of {@code --out}) a markdown table.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Load-test the Check API against a no-op baseline and write a markdown table.")
public final class BenchCommand implements Callable<Integer> {
  @Option(
      names = "--scenario",
      split = ",",
      defaultValue = "all",
      description =
          "Scenarios, comma separated, or all: baseline, warm, claims, redis, postgres, invalid,"
              + " unknown-kid, mixed (baseline always runs). Default: ${DEFAULT-VALUE}.")
  List<String> scenarios = new ArrayList<>();

  @Option(names = "--duration", defaultValue = "10s", converter = DurationConverter.class)
  Duration duration;

  @Option(names = "--warmup", defaultValue = "3s", converter = DurationConverter.class)
  Duration warmup;

  @Option(
      names = "--concurrency",
      defaultValue = "64",
      description = "Calls in flight (closed loop).")
  int concurrency;

  @Option(names = "--rate", defaultValue = "2000", description = "Checks per second (open loop).")
  int rate;

  @Option(names = "--connections", defaultValue = "2", description = "HTTP/2 connections.")
  int connections;

  @Option(
      names = "--target",
      description = "host:port of a running server's gRPC listener instead of starting one.")
  String target;

  @Option(names = "--database-url", defaultValue = "postgresql://postgres@127.0.0.1:5432/postgres")
  String databaseUrl;

  @Option(names = "--redis-url", defaultValue = "redis://127.0.0.1:6379")
  String redisUrl;

  @Option(names = "--nats-url", defaultValue = "nats://127.0.0.1:4222")
  String natsUrl;

  @Option(names = "--out", description = "Markdown file whose table section is (re)written.")
  Path out;

  @Option(names = "--smoke", description = "1 s runs and a tiny data set (CI).")
  boolean smoke;

  @Option(names = "--users", defaultValue = "10000")
  int users;

  @Option(names = "--organizations", defaultValue = "1000")
  int organizations;

  @Option(names = "--hot-users", defaultValue = "1000", description = "Users of the hot set.")
  int hotUsers;

  @Option(names = "--role-changes", defaultValue = "50", description = "Per second (mixed).")
  int roleChanges;

  @Option(names = "--run-id", description = "Data set name (default: random).")
  String runId;

  @Option(names = "--keep-data", description = "Keep the data set's database afterwards.")
  boolean keepData;

  @Option(names = "--jwks-port", defaultValue = "0", description = "Port of the bench's JWKS.")
  int jwksPort;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    BenchLogging.quiet();
    BenchSettings settings = settings();
    PrintStream progress = System.err;
    List<ScenarioResult> results = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    try (ScenarioRunner runner = new ScenarioRunner(settings, progress)) {
      for (Scenario scenario : settings.scenarios()) {
        try {
          results.add(runner.run(scenario));
        } catch (Exception e) {
          failures.add(scenario.id() + ": " + e.getMessage());
          if (scenario == Scenario.BASELINE) {
            break;
          }
        }
      }
    }
    String table = BenchReport.markdown(MachineDescription.current(), settings, results);
    System.out.print(table);
    if (out != null) {
      String existing = Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
      Files.writeString(
          out, BenchReport.replaceBetweenMarkers(existing, table), StandardCharsets.UTF_8);
    }
    failures.forEach(f -> progress.println("bench: scenario failed: " + f));
    return failures.isEmpty() ? 0 : 1;
  }

  BenchSettings settings() {
    List<Scenario> chosen;
    try {
      chosen = Scenario.parse(scenarios);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    int n = smoke ? Math.min(users, 100) : users;
    return new BenchSettings(
        chosen,
        smoke ? Duration.ofSeconds(1) : duration,
        smoke ? Duration.ofMillis(500) : warmup,
        smoke ? Math.min(concurrency, 16) : concurrency,
        smoke ? Math.min(rate, 500) : rate,
        connections,
        Optional.ofNullable(target),
        databaseUrl,
        redisUrl,
        natsUrl,
        n,
        Math.max(1, smoke ? Math.min(organizations, 10) : organizations),
        Math.max(1, Math.min(n, smoke ? Math.min(hotUsers, 20) : hotUsers)),
        smoke ? Math.min(roleChanges, 5) : roleChanges,
        runId != null ? runId : UUID.randomUUID().toString().replace("-", "").substring(0, 12),
        keepData,
        jwksPort);
  }

  /** Runs the command on its own (the server's Main registers it as a subcommand). */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  /** Durations as {@code 10s}, {@code 500ms}, {@code 2m} or ISO-8601 ({@code PT10S}). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      if (v.startsWith("pt")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long amount = Long.parseLong(v.substring(0, v.length() - 1));
      switch (v.charAt(v.length() - 1)) {
        case 's':
          return Duration.ofSeconds(amount);
        case 'm':
          return Duration.ofMinutes(amount);
        default:
          throw new CommandLine.TypeConversionException(
              "'" + value + "' is not a duration (examples: 10s, 500ms, 2m)");
      }
    }
  }
}
