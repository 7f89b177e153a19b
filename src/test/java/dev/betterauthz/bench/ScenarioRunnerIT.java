package dev.betterauthz.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.betterauthz.testsupport.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The scenario runner end to end with a stand-in server ({@link FakeAuthzServer}) in a child JVM:
 * data set in real PostgreSQL, role changes on real NATS, settings passed through the environment,
 * readiness through {@code /readyz}. The real server's scenarios are run by {@code bench} itself.
 */
class ScenarioRunnerIT {
  private static BenchSettings smoke(String scenarios) {
    BenchCommand command = new BenchCommand();
    new CommandLine(command)
        .parseArgs(
            "--smoke",
            "--scenario",
            scenarios,
            "--database-url",
            TestServices.databaseUrl(),
            "--redis-url",
            TestServices.redisUrl(),
            "--nats-url",
            TestServices.natsUrl());
    return command.settings();
  }

  @Test
  void runsServerScenariosThroughTheExternalContract() throws Exception {
    BenchSettings settings = smoke("warm,postgres,invalid,mixed");
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    try (ScenarioRunner runner =
        new ScenarioRunner(
            settings, FakeAuthzServer.class.getName(), new PrintStream(progress, true))) {
      ScenarioResult warm = runner.run(Scenario.WARM);
      ScenarioResult postgres = runner.run(Scenario.POSTGRES);
      ScenarioResult invalid = runner.run(Scenario.INVALID);
      ScenarioResult mixed = runner.run(Scenario.MIXED);

      assertThat(warm.closedLoop().completed()).as("%s", warm).isPositive();
      // NOTE: on a starved shared machine open-loop calls may all pass their deadline; they must
      // still be accounted for, and none may fail otherwise.
      assertThat(warm.openLoop().completed() + warm.openLoop().deadlineExceeded())
          .as("%s", warm)
          .isPositive();
      assertThat(warm.openLoop().errors()).isZero();
      assertThat(warm.unexpectedDecisions()).isZero();
      assertThat(warm.jwksFetches()).hasValue(0);
      assertThat(postgres.closedLoop().completed()).isPositive();
      // The stand-in allows everything: the runner must flag it for a scenario that expects denies.
      assertThat(invalid.unexpectedDecisions())
          .isEqualTo(invalid.closedLoop().allowed() + invalid.openLoop().allowed())
          .isPositive();
      assertThat(mixed.roleChanges()).isPositive();
    }
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("creating data set " + settings.runId());
  }

  @Test
  void reportsAServerThatNeverBecomesReady() throws Exception {
    BenchSettings settings = smoke("warm");
    try (ScenarioRunner runner =
        new ScenarioRunner(settings, "dev.betterauthz.bench.NoSuchMain", System.err)) {
      assertThatThrownBy(() -> runner.run(Scenario.WARM))
          .hasMessageContaining("child JVM exited")
          .hasMessageContaining("NoSuchMain");
    }
  }
}
