package dev.betterauthz.token;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jose4j.jwk.JsonWebKey;

/** A JWKS endpoint on a loopback port chosen by the OS, counting the requests it answers. */
final class JwksServer implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private volatile String body = "{\"keys\":[]}";
  private volatile int status = 200;
  private volatile CountDownLatch gate = new CountDownLatch(0);

  JwksServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/api/auth/jwks",
        exchange -> {
          requests.incrementAndGet();
          awaitGate();
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/auth/jwks");
  }

  /** Serves these keys' public parts. */
  void serve(List<? extends JsonWebKey> keys) {
    serveRaw(
        keys.stream()
            .map(k -> k.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY))
            .collect(Collectors.joining(",", "{\"keys\":[", "]}")));
  }

  void serveRaw(String json) {
    this.body = json;
  }

  void failWith(int httpStatus) {
    this.status = httpStatus;
  }

  /** Holds every response until the returned latch is counted down. */
  CountDownLatch hold() {
    gate = new CountDownLatch(1);
    return gate;
  }

  private void awaitGate() {
    try {
      if (!gate.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test never released the JWKS response");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
