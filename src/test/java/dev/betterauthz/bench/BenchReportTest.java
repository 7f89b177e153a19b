package dev.betterauthz.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
  private static final MachineDescription MACHINE =
      new MachineDescription(2, "Test CPU", "JVM 17", "Linux");

  @Test
  void reportsEachScenarioAsARatioToTheBaseline() {
    List<ScenarioResult> results =
        List.of(
            result(Scenario.BASELINE, 40_000, OptionalLong.empty()),
            result(Scenario.WARM, 30_000, OptionalLong.of(0)));

    String table = BenchReport.markdown(MACHINE, settings(), results);

    assertThat(table).contains("2 cores, Test CPU, JVM 17, Linux");
    assertThat(table).contains("| baseline | 40,000 | 1.00 |");
    assertThat(table).contains("| warm | 30,000 | 0.75 |");
    assertThat(table).contains("| 200 | 900 |"); // p50 and p99 in µs
  }

  @Test
  void replacesOnlyTheTableBetweenTheMarkers() {
    String document =
        "# Title\nbefore\n"
            + BenchReport.START_MARKER
            + "\nold table\n"
            + BenchReport.END_MARKER
            + "\nafter\n";

    String updated = BenchReport.replaceBetweenMarkers(document, "new table\n");

    assertThat(updated)
        .isEqualTo(
            "# Title\nbefore\n"
                + BenchReport.START_MARKER
                + "\nnew table\n"
                + BenchReport.END_MARKER
                + "\nafter\n");
    assertThat(BenchReport.replaceBetweenMarkers("", "t\n"))
        .isEqualTo(BenchReport.START_MARKER + "\nt\n" + BenchReport.END_MARKER + "\n");
  }

  @Test
  void parsesScenarioListsWithTheBaselineFirst() {
    assertThat(Scenario.parse(List.of("warm"))).containsExactly(Scenario.BASELINE, Scenario.WARM);
    assertThat(Scenario.parse(List.of("all"))).containsExactly(Scenario.values());
    assertThat(Scenario.parse(List.of("unknown-kid", "baseline")))
        .containsExactly(Scenario.BASELINE, Scenario.UNKNOWN_KID);
    assertThatThrownBy(() -> Scenario.parse(List.of("hot")))
        .hasMessageContaining("unknown scenario 'hot'")
        .hasMessageContaining("mixed");
  }

  @Test
  void scenariosDisableTheTiersTheyBypass() {
    assertThat(Scenario.REDIS.environment()).containsEntry("AUTHZ_LOCAL_CACHE", "off");
    assertThat(Scenario.POSTGRES.environment())
        .containsEntry("AUTHZ_LOCAL_CACHE", "off")
        .containsEntry("AUTHZ_REDIS_URL", "off");
    assertThat(Scenario.INVALID.expectAllow()).isFalse();
    assertThat(Scenario.UNKNOWN_KID.expectAllow()).isFalse();
  }

  @Test
  void parsesHumanDurations() {
    BenchCommand.DurationConverter converter = new BenchCommand.DurationConverter();

    assertThat(converter.convert("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(converter.convert("PT3S")).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> converter.convert("3h")).hasMessageContaining("not a duration");
  }

  @Test
  void zipfFavoursLowRanks() {
    ZipfSampler zipf = new ZipfSampler(10_000, 1.0);

    assertThat(zipf.rankAt(0.0)).isZero();
    assertThat(zipf.rankAt(0.5)).isLessThan(150);
    assertThat(zipf.rankAt(0.999_999)).isEqualTo(9_999);
  }

  @Test
  void readsTheCpuModel(@TempDir Path dir) throws IOException {
    Path cpuinfo = dir.resolve("cpuinfo");
    Files.writeString(cpuinfo, "processor\t: 0\nmodel name\t: AMD EPYC 7B13\n");

    assertThat(MachineDescription.cpuModel(cpuinfo)).isEqualTo("AMD EPYC 7B13");
    assertThat(MachineDescription.cpuModel(dir.resolve("missing"))).isEqualTo("unknown");
  }

  private static ScenarioResult result(Scenario scenario, long perSecond, OptionalLong jwks) {
    Histogram latency = new Histogram(3);
    for (int i = 0; i < 98; i++) {
      latency.recordValue(200_000);
    }
    latency.recordValue(900_000);
    latency.recordValue(2_000_000);
    RunResult closed =
        new RunResult(
            RunResult.Mode.CLOSED_LOOP,
            perSecond * 10,
            0,
            0,
            0,
            0,
            Duration.ofSeconds(10),
            latency);
    RunResult open =
        new RunResult(RunResult.Mode.OPEN_LOOP, 100, 0, 0, 0, 0, Duration.ofSeconds(1), latency);
    return new ScenarioResult(scenario, closed, open, jwks, 0);
  }

  private static BenchSettings settings() {
    return new BenchSettings(
        List.of(Scenario.BASELINE, Scenario.WARM),
        Duration.ofSeconds(10),
        Duration.ofSeconds(3),
        64,
        2000,
        2,
        Optional.empty(),
        "postgresql://postgres@127.0.0.1:5432/postgres",
        "redis://127.0.0.1:6379",
        "nats://127.0.0.1:4222",
        100,
        10,
        10,
        0,
        "run",
        false,
        0);
  }
}
