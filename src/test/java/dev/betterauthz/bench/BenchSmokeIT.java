package dev.betterauthz.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * CI smoke of {@code bench}: a one-second baseline run (no-op server in a child JVM) must finish
 * and produce numbers. It asserts that it ran, not how fast.
 */
class BenchSmokeIT {
  @Test
  void smokeRunOfTheBaselineProducesATable(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("BENCHMARKS.md");
    Files.writeString(
        out,
        "# Benchmarks\n" + BenchReport.START_MARKER + "\n" + BenchReport.END_MARKER + "\nend\n");

    int exit =
        new CommandLine(new BenchCommand())
            .execute("--smoke", "--scenario", "baseline", "--out", out.toString());

    assertThat(exit).isZero();
    String document = Files.readString(out);
    assertThat(document).startsWith("# Benchmarks\n").endsWith("end\n");
    Optional<String> row = document.lines().filter(l -> l.startsWith("| baseline |")).findFirst();
    assertThat(row).isPresent();
    String[] cells = Arrays.stream(row.get().split("\\|")).map(String::trim).toArray(String[]::new);
    double checksPerSecond = Double.parseDouble(cells[2].replace(",", ""));
    assertThat(checksPerSecond).isPositive();
    assertThat(cells[3]).isEqualTo("1.00");
    // Latency cells are numbers (an open loop starved of CPU may have no answer in time: 0).
    for (int cell = 4; cell <= 7; cell++) {
      assertThat(Double.parseDouble(cells[cell].replace(",", ""))).isNotNegative();
    }
  }
}
