package dev.betterauthz.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.testsupport.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * CI smoke of {@code bench}: one-second runs must finish and produce numbers. The baseline runs the
 * no-op server in a child JVM; {@code warm} starts the real server (its own child JVM, a fresh
 * Better Auth data set, the bench's JWKS) on the real PostgreSQL, Redis and NATS. It asserts that
 * they ran, not how fast.
 */
class BenchSmokeIT {
  @Test
  void smokeRunOfTheBaselineProducesATable(@TempDir Path dir) throws Exception {
    Path out = document(dir);

    int exit =
        new CommandLine(new BenchCommand())
            .execute("--smoke", "--scenario", "baseline", "--out", out.toString());

    assertThat(exit).isZero();
    String document = Files.readString(out);
    assertThat(document).startsWith("# Benchmarks\n").endsWith("end\n");
    String[] baseline = cells(document, "baseline");
    assertThat(baseline[3]).isEqualTo("1.00");
  }

  @Test
  void smokeRunOfTheRealServerWarmScenarioProducesNumbers(@TempDir Path dir) throws Exception {
    Path out = document(dir);

    int exit =
        new CommandLine(new BenchCommand())
            .execute(
                "--smoke",
                "--scenario",
                "warm",
                "--database-url",
                TestServices.databaseUrl(),
                "--redis-url",
                TestServices.redisUrl(),
                "--nats-url",
                TestServices.natsUrl(),
                "--out",
                out.toString());

    assertThat(exit).as("bench exit status (a failed scenario makes it 1)").isZero();
    String document = Files.readString(out);
    cells(document, "baseline");
    String[] warm = cells(document, "warm");
    // NOTE: not asserted zero: a starved CI machine may answer 503 when a backend times out.
    assertThat(warm[9]).as("unexpected decisions").matches("\\d+");
    assertThat(warm[10]).as("JWKS fetches").matches("\\d+");
  }

  private static Path document(Path dir) throws Exception {
    Path out = dir.resolve("BENCHMARKS.md");
    Files.writeString(
        out,
        "# Benchmarks\n" + BenchReport.START_MARKER + "\n" + BenchReport.END_MARKER + "\nend\n");
    return out;
  }

  /** The cells of the scenario's row; checks/s is positive and the latencies are numbers. */
  private static String[] cells(String document, String scenario) {
    Optional<String> row =
        document.lines().filter(l -> l.startsWith("| " + scenario + " |")).findFirst();
    assertThat(row).as("row of %s in%n%s", scenario, document).isPresent();
    String[] cells = Arrays.stream(row.get().split("\\|")).map(String::trim).toArray(String[]::new);
    assertThat(Double.parseDouble(cells[2].replace(",", ""))).as("checks/s").isPositive();
    // Latency cells are numbers (an open loop starved of CPU may have no answer in time: 0).
    for (int cell = 4; cell <= 7; cell++) {
      assertThat(Double.parseDouble(cells[cell].replace(",", ""))).isNotNegative();
    }
    return cells;
  }
}
