package dev.betterauthz.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.betterauthz.decision.HeaderNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A sample upstream behind a gateway: it answers every request with a JSON echo of who called
 * ({@code user_id}), in which organization ({@code org_id}), with which roles, the method and path,
 * the body size, and every {@code x-auth-*} header it received in any spelling ({@code
 * x_auth_headers}), so a test can prove that no client-sent identity header leaked through.
 *
 * <p>It trusts the headers blindly, as upstreams behind better-authz are meant to. Thread-safe.
 */
public final class SampleUpstream implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<String> received = new CopyOnWriteArrayList<>();

  private SampleUpstream(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Runs the upstream: port from the first argument (else 8081), bind address from the second (else
   * {@code 0.0.0.0}, as a container needs).
   */
  public static void main(String[] args) throws IOException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
    SampleUpstream upstream = start(args.length > 1 ? args[1] : "0.0.0.0", port);
    Runtime.getRuntime().addShutdownHook(new Thread(upstream::close));
    System.out.println("sample upstream listening on port " + upstream.port());
  }

  /** Starts on loopback; {@code port} 0 picks a free port (see {@link #port()}). */
  public static SampleUpstream start(int port) throws IOException {
    return start("127.0.0.1", port);
  }

  /** Starts on {@code host:port}. */
  public static SampleUpstream start(String host, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
    ExecutorService executor = Executors.newFixedThreadPool(4);
    SampleUpstream upstream = new SampleUpstream(server, executor);
    server.createContext("/", upstream::handle);
    server.setExecutor(executor);
    server.start();
    return upstream;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Every request that reached this upstream, as {@code "METHOD /path?query"}, in order. */
  public List<String> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      long bodyBytes;
      try (InputStream in = exchange.getRequestBody()) {
        bodyBytes = in.transferTo(OutputStream.nullOutputStream());
      }
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      String target = query == null ? path : path + "?" + query;
      received.add(method + " " + target);
      byte[] body = JSON.writeValueAsBytes(echo(exchange, method, target, bodyBytes));
      exchange.getResponseHeaders().set("content-type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  private static Map<String, Object> echo(
      HttpExchange exchange, String method, String target, long bodyBytes) {
    Map<String, String> identity = new TreeMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (HeaderNames.isIdentityNamespace(name)) {
                identity.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
              }
            });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("user_id", identity.get(HeaderNames.USER_ID));
    out.put("org_id", identity.get(HeaderNames.ORG_ID));
    out.put("org_role", identity.get(HeaderNames.ORG_ROLE));
    out.put("platform_role", identity.get(HeaderNames.PLATFORM_ROLE));
    out.put("decision_id", identity.get(HeaderNames.DECISION_ID));
    out.put("method", method);
    out.put("path", target);
    out.put("body_bytes", bodyBytes);
    out.put("x_auth_headers", identity);
    return out;
  }
}
