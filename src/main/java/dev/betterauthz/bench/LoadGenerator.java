package dev.betterauthz.bench;

import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Drives {@code envoy.service.auth.v3.Authorization/Check} over gRPC (HTTP/2, plaintext).
 *
 * <p>Closed loop keeps a fixed number of calls in flight and measures throughput. Open loop starts
 * calls at a fixed rate from one scheduling thread and measures each call's latency from its
 * <em>intended</em> start time, so a stall of the server or of the generator shows up in the
 * percentiles instead of silently lowering the offered load (coordinated omission). At most {@link
 * #OPEN_LOOP_MAX_IN_FLIGHT} calls are outstanding; calls beyond that are counted as dropped.
 *
 * <p>Every call has a {@link #CALL_DEADLINE}. One generator runs one loop at a time; the request
 * supplier must be thread-safe (it is called from the channels' event loops in closed loop).
 */
public final class LoadGenerator {
  public static final Duration CALL_DEADLINE = Duration.ofSeconds(1);
  public static final int OPEN_LOOP_MAX_IN_FLIGHT = 10_000;
  private static final Duration DRAIN = CALL_DEADLINE.plusSeconds(1);

  private final List<AuthorizationGrpc.AuthorizationStub> stubs = new ArrayList<>();
  private final Supplier<CheckRequest> requests;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger nextStub = new AtomicInteger();

  /** Uses the given channels round-robin; the caller owns them. */
  public LoadGenerator(List<ManagedChannel> channels, Supplier<CheckRequest> requests) {
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("at least one channel");
    }
    channels.forEach(c -> stubs.add(AuthorizationGrpc.newStub(c)));
    this.requests = Objects.requireNonNull(requests);
  }

  /** Opens {@code count} plaintext connections to host:port; callbacks run on the event loop. */
  public static List<ManagedChannel> openChannels(String host, int port, int count) {
    List<ManagedChannel> channels = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      channels.add(
          NettyChannelBuilder.forAddress(host, port).usePlaintext().directExecutor().build());
    }
    return channels;
  }

  /** Closes channels opened by {@link #openChannels}. */
  public static void close(List<ManagedChannel> channels) throws InterruptedException {
    channels.forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel channel : channels) {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Connects every channel and sends {@code callsPerChannel} blocking calls on each (waiting up to
   * {@code timeout} for the server), so that connection set-up and class loading stay out of the
   * measured window.
   *
   * @throws io.grpc.StatusRuntimeException when the server does not answer in time
   */
  public void prime(int callsPerChannel, Duration timeout) {
    for (AuthorizationGrpc.AuthorizationStub stub : stubs) {
      AuthorizationGrpc.AuthorizationBlockingStub blocking =
          AuthorizationGrpc.newBlockingStub(stub.getChannel()).withWaitForReady();
      for (int i = 0; i < callsPerChannel; i++) {
        blocking.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).check(requests.get());
      }
    }
  }

  /** Keeps {@code concurrency} calls in flight; measures after {@code warmup}. */
  public RunResult closedLoop(int concurrency, Duration warmup, Duration duration) {
    Tally tally = new Tally();
    AtomicBoolean running = new AtomicBoolean(true);
    for (int i = 0; i < concurrency; i++) {
      sendClosed(tally, running);
    }
    parkUntil(System.nanoTime() + warmup.toNanos());
    long start = System.nanoTime();
    tally.startMeasuring(start);
    parkUntil(start + duration.toNanos());
    RunResult result = tally.finish(RunResult.Mode.CLOSED_LOOP, System.nanoTime());
    running.set(false);
    drain();
    return result;
  }

  /** Starts {@code ratePerSecond} calls a second; measures after {@code warmup}. */
  public RunResult openLoop(int ratePerSecond, Duration warmup, Duration duration) {
    if (ratePerSecond <= 0) {
      throw new IllegalArgumentException("rate must be positive");
    }
    Tally tally = new Tally();
    double interval = 1e9 / ratePerSecond;
    long start = System.nanoTime();
    long measureStart = start + warmup.toNanos();
    long end = measureStart + duration.toNanos();
    for (long i = 0; ; i++) {
      long intended = start + (long) (i * interval);
      if (intended >= end) {
        break;
      }
      if (!tally.measuring() && intended >= measureStart) {
        tally.startMeasuring(measureStart);
      }
      parkUntil(intended);
      if (inFlight.get() >= OPEN_LOOP_MAX_IN_FLIGHT) {
        tally.dropped();
        continue;
      }
      send(tally, intended, null);
    }
    drain();
    return tally.finish(RunResult.Mode.OPEN_LOOP, end);
  }

  private void sendClosed(Tally tally, AtomicBoolean running) {
    if (running.get()) {
      send(tally, System.nanoTime(), () -> sendClosed(tally, running));
    }
  }

  private void send(Tally tally, long intendedNanos, Runnable next) {
    inFlight.incrementAndGet();
    AuthorizationGrpc.AuthorizationStub stub =
        stubs.get(Math.floorMod(nextStub.getAndIncrement(), stubs.size()));
    stub.withDeadlineAfter(CALL_DEADLINE.toNanos(), TimeUnit.NANOSECONDS)
        .check(
            requests.get(),
            new StreamObserver<>() {
              @Override
              public void onNext(CheckResponse response) {
                tally.answered(response, System.nanoTime() - intendedNanos);
              }

              @Override
              public void onError(Throwable failure) {
                tally.failed(failure);
                inFlight.decrementAndGet();
                if (next != null) {
                  // NOTE: a failing channel may report synchronously; never recurse on this stack.
                  ForkJoinPool.commonPool().execute(next);
                }
              }

              @Override
              public void onCompleted() {
                inFlight.decrementAndGet();
                if (next != null) {
                  next.run();
                }
              }
            });
  }

  /** Waits (bounded by the call deadline) for the calls still in flight. */
  private void drain() {
    long deadline = System.nanoTime() + DRAIN.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  private static void parkUntil(long nanoTime) {
    for (long wait = nanoTime - System.nanoTime(); wait > 0; wait = nanoTime - System.nanoTime()) {
      LockSupport.parkNanos(wait);
    }
  }
}
