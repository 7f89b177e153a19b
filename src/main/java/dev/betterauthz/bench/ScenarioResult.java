package dev.betterauthz.bench;

import java.util.OptionalLong;

/**
 * One scenario's measurements.
 *
 * @param closedLoop throughput run
 * @param openLoop fixed-rate latency run
 * @param jwksFetches JWKS requests caused while the load ran (empty when the bench does not serve
 *     the JWKS, as for the baseline)
 * @param roleChanges role-change events published while the load ran
 */
public record ScenarioResult(
    Scenario scenario,
    RunResult closedLoop,
    RunResult openLoop,
    OptionalLong jwksFetches,
    long roleChanges) {

  /** Answers contrary to the scenario's expectation (a deny where an allow was due, or back). */
  public long unexpectedDecisions() {
    return scenario.expectAllow()
        ? closedLoop.denied() + openLoop.denied()
        : closedLoop.allowed() + openLoop.allowed();
  }

  /** Calls without an answer in either run. */
  public long failures() {
    return closedLoop.failures() + openLoop.failures();
  }
}
