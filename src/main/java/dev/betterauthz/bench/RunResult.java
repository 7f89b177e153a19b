package dev.betterauthz.bench;

import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * What one measured run of the {@link LoadGenerator} observed. Only completed calls (an allow or a
 * deny answer) are successes and only they are in the latency histogram; gRPC errors, deadline
 * expiries and open-loop drops are counted apart.
 *
 * @param mode closed or open loop
 * @param allowed answers with status code 0
 * @param denied answers with any other status code (a deny is still a completed Check)
 * @param errors calls that ended with a gRPC error other than DEADLINE_EXCEEDED
 * @param deadlineExceeded calls that ended with DEADLINE_EXCEEDED
 * @param dropped open-loop calls not sent because too many were already in flight
 * @param measured length of the measured window
 * @param latencyNanos latency of completed calls in nanoseconds; in open loop measured from each
 *     call's intended start time
 */
public record RunResult(
    Mode mode,
    long allowed,
    long denied,
    long errors,
    long deadlineExceeded,
    long dropped,
    Duration measured,
    Histogram latencyNanos) {

  /** How the load was applied. */
  public enum Mode {
    CLOSED_LOOP,
    OPEN_LOOP
  }

  /** Calls that got an answer. */
  public long completed() {
    return allowed + denied;
  }

  /** Calls that did not get an answer, or were never sent. */
  public long failures() {
    return errors + deadlineExceeded + dropped;
  }

  /** Completed checks per second over the measured window. */
  public double throughput() {
    double seconds = measured.toNanos() / 1e9;
    return seconds <= 0 ? 0 : completed() / seconds;
  }

  /** A latency percentile (0-100) in microseconds; 0 when nothing completed. */
  public double percentileMicros(double percentile) {
    if (latencyNanos.getTotalCount() == 0) {
      return 0;
    }
    return latencyNanos.getValueAtPercentile(percentile) / 1000.0;
  }

  /** The largest latency in microseconds. */
  public double maxMicros() {
    return latencyNanos.getTotalCount() == 0 ? 0 : latencyNanos.getMaxValue() / 1000.0;
  }
}
