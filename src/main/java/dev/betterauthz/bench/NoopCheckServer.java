package dev.betterauthz.bench;

import com.google.protobuf.BoolValue;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.OkHttpResponse;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * The baseline of every benchmark run: a Check server that does no work. It answers every request
 * with the same OK {@link CheckResponse} carrying three identity headers (append=false), on the
 * Netty event loop ({@code directExecutor()}), so its throughput is the floor of grpc-java plus
 * loopback on the machine. {@link #main} runs it in its own JVM and prints its port on stdout, so
 * the baseline is measured exactly like the server under test (a child JVM).
 */
public final class NoopCheckServer extends AuthorizationGrpc.AuthorizationImplBase {
  /** The line {@link #main} prints once listening; the port follows it. */
  public static final String PORT_LINE_PREFIX = "noop-check-server port=";

  private static final CheckResponse OK = okResponse();

  /** The constant answer: status OK, three request headers set with append=false. */
  public static CheckResponse okResponse() {
    OkHttpResponse.Builder ok = OkHttpResponse.newBuilder();
    ok.addHeaders(header("x-auth-user-id", "bench-user"));
    ok.addHeaders(header("x-auth-org-id", "bench-org"));
    ok.addHeaders(header("x-auth-org-role", "member"));
    return CheckResponse.newBuilder()
        .setStatus(Status.newBuilder().setCode(0))
        .setOkResponse(ok)
        .build();
  }

  private static HeaderValueOption header(String name, String value) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
        .setAppend(BoolValue.of(false))
        .build();
  }

  @Override
  public void check(CheckRequest request, StreamObserver<CheckResponse> response) {
    response.onNext(OK);
    response.onCompleted();
  }

  /** Starts {@code service} on 127.0.0.1:{@code port} (0 = any free port), handlers on the loop. */
  public static Server start(int port, BindableService service) throws IOException {
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .directExecutor()
        .addService(service)
        .build()
        .start();
  }

  /** Starts the no-op server on a free loopback port. */
  public static Server start() throws IOException {
    return start(0, new NoopCheckServer());
  }

  /** Runs the no-op server until the JVM is stopped; prints {@link #PORT_LINE_PREFIX}port. */
  public static void main(String[] args) throws IOException, InterruptedException {
    BenchLogging.quiet();
    Server server = start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdownNow();
                  stopped.countDown();
                }));
    System.out.println(PORT_LINE_PREFIX + server.getPort());
    System.out.flush();
    stopped.await();
  }
}
