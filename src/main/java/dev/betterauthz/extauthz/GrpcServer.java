package dev.betterauthz.extauthz;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC listener: {@code Authorization/Check}, health and reflection (so grpcurl works). Calls
 * run directly on the Netty event loop: the handler never blocks, and this roughly doubles the
 * ceiling compared with a thread pool (reference/performance-floor.md).
 */
public final class GrpcServer {
  static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  private final Server server;
  private final AuthorizationService authorization;

  public GrpcServer(
      String bindAddress, int port, AuthorizationService authorization, BindableService health) {
    this.authorization = authorization;
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress(bindAddress, port))
            .directExecutor()
            .addService(authorization)
            .addService(health)
            .addService(ProtoReflectionServiceV1.newInstance())
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .build();
  }

  public GrpcServer start() throws IOException {
    server.start();
    return this;
  }

  public int port() {
    return server.getPort();
  }

  /**
   * Stops accepting calls, lets the ones in flight finish within {@code grace}, then cuts the rest.
   *
   * @return the number of calls still in flight when the grace ran out (0 on a clean drain)
   */
  public long drain(Duration grace) throws InterruptedException {
    server.shutdown();
    if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      long left = authorization.inFlight();
      server.shutdownNow();
      server.awaitTermination(1, TimeUnit.SECONDS);
      return left;
    }
    return 0;
  }
}
