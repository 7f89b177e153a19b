package dev.betterauthz.bench;

import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Counters and latency recorder of one run. Thread-safe: completions arrive on the channels' event
 * loops. Nothing is counted outside the measured window (warm-up included).
 */
final class Tally {
  private final Recorder recorder = new Recorder(3);
  private final LongAdder allowed = new LongAdder();
  private final LongAdder denied = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder deadlineExceeded = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private volatile boolean measuring;
  private long startNanos;

  void answered(CheckResponse response, long latencyNanos) {
    if (!measuring) {
      return;
    }
    recorder.recordValue(Math.max(0, latencyNanos));
    (response.getStatus().getCode() == 0 ? allowed : denied).increment();
  }

  void failed(Throwable failure) {
    if (!measuring) {
      return;
    }
    Status.Code code = Status.fromThrowable(failure).getCode();
    (code == Status.Code.DEADLINE_EXCEEDED ? deadlineExceeded : errors).increment();
  }

  void dropped() {
    if (measuring) {
      dropped.increment();
    }
  }

  boolean measuring() {
    return measuring;
  }

  /** Opens the measured window: everything recorded before is discarded. */
  void startMeasuring(long nowNanos) {
    recorder.reset();
    startNanos = nowNanos;
    measuring = true;
  }

  /** Closes the window at {@code endNanos} (for throughput) after late answers were collected. */
  RunResult finish(RunResult.Mode mode, long endNanos) {
    measuring = false;
    return new RunResult(
        mode,
        allowed.sum(),
        denied.sum(),
        errors.sum(),
        deadlineExceeded.sum(),
        dropped.sum(),
        Duration.ofNanos(endNanos - startNanos),
        recorder.getIntervalHistogram());
  }
}
