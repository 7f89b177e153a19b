package dev.betterauthz.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The markdown table of a run: per scenario the closed-loop throughput and its ratio to the
 * baseline of the same run, the open-loop latency percentiles, failures, unexpected decisions, JWKS
 * fetches and role-change events; and the machine and settings it ran with.
 */
public final class BenchReport {
  public static final String START_MARKER = "<!-- bench:table:start -->";
  public static final String END_MARKER = "<!-- bench:table:end -->";

  private BenchReport() {}

  /** The table section (without markers). */
  public static String markdown(
      MachineDescription machine, BenchSettings settings, List<ScenarioResult> results) {
    double baseline =
        results.stream()
            .filter(r -> r.scenario() == Scenario.BASELINE)
            .mapToDouble(r -> r.closedLoop().throughput())
            .findFirst()
            .orElse(0);
    StringBuilder out = new StringBuilder();
    out.append("Measured ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
        .append(" on ")
        .append(machine.describe())
        .append(".\n")
        .append(
            String.format(
                Locale.ROOT,
                "Closed loop: %d in flight over %d connections; open loop: %d checks/s;"
                    + " %s warm-up and %s measured each; latencies in µs from the intended start.%n%n",
                settings.concurrency(),
                settings.connections(),
                settings.rate(),
                human(settings.warmup()),
                human(settings.duration())));
    out.append("| scenario | checks/s (closed loop) | × baseline | p50 | p99 | p99.9 | max |")
        .append(" failures | unexpected decisions | JWKS fetches | role changes |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (ScenarioResult r : results) {
      out.append(row(r, baseline)).append('\n');
    }
    return out.toString();
  }

  private static String row(ScenarioResult r, double baseline) {
    RunResult open = r.openLoop();
    double ratio = baseline > 0 ? r.closedLoop().throughput() / baseline : 0;
    return String.format(
        Locale.ROOT,
        "| %s | %,.0f | %.2f | %,.0f | %,.0f | %,.0f | %,.0f | %d | %d | %s | %d |",
        r.scenario().id(),
        r.closedLoop().throughput(),
        ratio,
        open.percentileMicros(50),
        open.percentileMicros(99),
        open.percentileMicros(99.9),
        open.maxMicros(),
        r.failures(),
        r.unexpectedDecisions(),
        r.jwksFetches().isPresent() ? Long.toString(r.jwksFetches().getAsLong()) : "–",
        r.roleChanges());
  }

  private static String human(java.time.Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : duration.toMillis() + " ms";
  }

  /**
   * Puts {@code table} between the markers of {@code document}; a document without markers gets the
   * marked table appended.
   */
  public static String replaceBetweenMarkers(String document, String table) {
    int start = document.indexOf(START_MARKER);
    int end = document.indexOf(END_MARKER);
    String marked = START_MARKER + "\n" + table + END_MARKER;
    if (start < 0 || end < start) {
      return document + (document.isEmpty() || document.endsWith("\n") ? "" : "\n") + marked + "\n";
    }
    return document.substring(0, start) + marked + document.substring(end + END_MARKER.length());
  }
}
