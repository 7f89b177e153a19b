package dev.betterauthz.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
  private static final Duration STALL = Duration.ofMillis(200);
  private static final double STALL_MICROS = STALL.toNanos() / 1000.0;
  private static final CheckRequest REQUEST =
      EnvoyRequests.get("/api/orgs/o1/leave?page=2", Optional.of("t"), "req-1");

  private Server server;
  private List<ManagedChannel> channels;

  @BeforeAll
  static void quiet() {
    BenchLogging.quiet();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channels != null) {
      LoadGenerator.close(channels);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private LoadGenerator generatorFor(
      Server started, int connections, Supplier<CheckRequest> requests) {
    server = started;
    channels = LoadGenerator.openChannels("127.0.0.1", started.getPort(), connections);
    LoadGenerator generator = new LoadGenerator(channels, requests);
    generator.prime(20, Duration.ofSeconds(60));
    return generator;
  }

  @Test
  void closedLoopCountsAnswersAndRecordsTheirLatency() throws Exception {
    LoadGenerator generator = generatorFor(NoopCheckServer.start(), 2, () -> REQUEST);

    RunResult result = generator.closedLoop(8, Duration.ofMillis(200), Duration.ofMillis(500));

    assertThat(result.mode()).isEqualTo(RunResult.Mode.CLOSED_LOOP);
    assertThat(result.allowed()).as("%s", result).isPositive();
    assertThat(result.denied()).isZero();
    // NOTE: a starved shared machine may let a call pass its deadline; no call may fail otherwise.
    assertThat(result.errors()).as("%s", result).isZero();
    assertThat(result.dropped()).isZero();
    assertThat(result.latencyNanos().getTotalCount()).isEqualTo(result.completed());
    assertThat(result.throughput()).isPositive();
    assertThat(result.percentileMicros(50)).isPositive();
    assertThat(result.percentileMicros(99)).isLessThanOrEqualTo(result.maxMicros());
  }

  @Test
  void openLoopSendsExactlyTheScheduledCalls() throws Exception {
    LoadGenerator generator = generatorFor(NoopCheckServer.start(), 2, () -> REQUEST);

    RunResult result = generator.openLoop(200, Duration.ZERO, Duration.ofSeconds(1));

    assertThat(result.mode()).isEqualTo(RunResult.Mode.OPEN_LOOP);
    assertThat(result.errors()).as("%s", result).isZero();
    assertThat(result.dropped()).isZero();
    // Every scheduled call is accounted for: answered, or (on an overloaded machine) timed out.
    assertThat(result.completed() + result.deadlineExceeded()).isEqualTo(200);
    assertThat(result.completed()).isPositive();
    assertThat(result.latencyNanos().getTotalCount()).isEqualTo(result.completed());
    assertThat(result.throughput()).isCloseTo(result.completed(), within(0.5));
  }

  @Test
  void countsDeniesAsAnswersNotErrors() throws Exception {
    CheckResponse deny =
        CheckResponse.newBuilder()
            .setStatus(com.google.rpc.Status.newBuilder().setCode(16))
            .build();
    LoadGenerator generator =
        generatorFor(NoopCheckServer.start(0, answering(() -> deny)), 1, () -> REQUEST);

    RunResult result = generator.closedLoop(4, Duration.ZERO, Duration.ofMillis(500));

    assertThat(result.denied()).as("%s", result).isPositive();
    assertThat(result.allowed()).isZero();
    assertThat(result.errors()).isZero();
  }

  @Test
  void countsServerFailuresApartFromAnswers() throws Exception {
    LoadGenerator generator =
        generatorFor(
            NoopCheckServer.start(0, answering(NoopCheckServer::okResponse)), 1, () -> REQUEST);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);

    RunResult result = generator.openLoop(100, Duration.ZERO, Duration.ofMillis(300));

    assertThat(result.completed()).isZero();
    assertThat(result.errors() + result.deadlineExceeded()).isEqualTo(30);
    assertThat(result.latencyNanos().getTotalCount()).isZero();
  }

  @Test
  void openLoopChargesAServerStallToTheCallsQueuedBehindIt() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Supplier<CheckResponse> stallOnce =
        () -> {
          if (calls.incrementAndGet() == 100) {
            LockSupport.parkNanos(STALL.toNanos());
          }
          return NoopCheckServer.okResponse();
        };
    LoadGenerator generator =
        generatorFor(NoopCheckServer.start(0, answering(stallOnce)), 1, () -> REQUEST);

    RunResult result = generator.openLoop(200, Duration.ZERO, Duration.ofSeconds(1));

    // The server's only event loop is blocked: the ~40 calls due meanwhile wait behind it.
    assertThat(result.maxMicros()).as("%s", result).isGreaterThanOrEqualTo(STALL_MICROS * 0.9);
    assertThat(countAtOrAbove(result, STALL.dividedBy(2))).isGreaterThanOrEqualTo(10);
  }

  @Test
  void openLoopMeasuresFromTheIntendedStartWhenTheGeneratorStalls() throws Exception {
    AtomicInteger built = new AtomicInteger();
    Supplier<CheckRequest> stallOnce =
        () -> {
          if (built.incrementAndGet() == 100) {
            LockSupport.parkNanos(STALL.toNanos());
          }
          return REQUEST;
        };
    LoadGenerator generator = generatorFor(NoopCheckServer.start(), 1, stallOnce);
    built.set(0);

    RunResult result = generator.openLoop(200, Duration.ZERO, Duration.ofSeconds(1));

    // The ~40 calls due while the generator was stuck are sent late; each is charged its lateness
    // (measured from the send time instead, they would all look fast).
    assertThat(result.maxMicros()).as("%s", result).isGreaterThanOrEqualTo(STALL_MICROS * 0.9);
    assertThat(countAtOrAbove(result, STALL.dividedBy(2))).isGreaterThanOrEqualTo(15);
  }

  private static long countAtOrAbove(RunResult result, Duration threshold) {
    var histogram = result.latencyNanos();
    return histogram.getTotalCount() - histogram.getCountBetweenValues(0, threshold.toNanos() - 1);
  }

  private static AuthorizationGrpc.AuthorizationImplBase answering(Supplier<CheckResponse> answer) {
    return new AuthorizationGrpc.AuthorizationImplBase() {
      @Override
      public void check(CheckRequest request, StreamObserver<CheckResponse> response) {
        response.onNext(answer.get());
        response.onCompleted();
      }
    };
  }
}
