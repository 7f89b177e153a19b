package dev.betterauthz.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves a JWKS at {@code /api/auth/jwks} (Better Auth's path) on a loopback port and counts the
 * fetches, so that a scenario can report how many JWKS requests its load caused.
 */
public final class JwksEndpoint implements AutoCloseable {
  public static final String PATH = "/api/auth/jwks";

  private final HttpServer server;
  private final AtomicLong fetches = new AtomicLong();

  private JwksEndpoint(HttpServer server) {
    this.server = server;
  }

  /** Starts serving {@code jwksJson} on 127.0.0.1:{@code port} (0 = any free port). */
  public static JwksEndpoint start(String jwksJson, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    JwksEndpoint endpoint = new JwksEndpoint(server);
    byte[] body = jwksJson.getBytes(StandardCharsets.UTF_8);
    server.createContext(
        PATH,
        exchange -> {
          endpoint.fetches.incrementAndGet();
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.setExecutor(Executors.newSingleThreadExecutor(r -> daemon(r, "bench-jwks")));
    server.start();
    return endpoint;
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }

  /** The URL to give the server as {@code AUTHZ_JWKS_URL}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
  }

  /** JWKS requests served so far. */
  public long fetches() {
    return fetches.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
