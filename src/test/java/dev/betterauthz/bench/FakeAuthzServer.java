package dev.betterauthz.bench;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for {@code dev.betterauthz.Main} in {@link ScenarioRunnerIT}: it honours only the
 * external contract the bench relies on. It insists on every variable the bench must pass, fetches
 * the JWKS once at start (as a real server does), allows every Check, and answers {@code /readyz}.
 */
public final class FakeAuthzServer {
  static final List<String> REQUIRED =
      List.of(
          "AUTHZ_GRPC_PORT",
          "AUTHZ_HTTP_PORT",
          "AUTHZ_POLICY_FILE",
          "AUTHZ_JWKS_URL",
          "AUTHZ_JWT_ISSUER",
          "AUTHZ_JWT_AUDIENCE",
          "AUTHZ_DATABASE_URL",
          "AUTHZ_REDIS_URL",
          "AUTHZ_NATS_URL",
          "AUTHZ_PERM_CACHE_TTL",
          "AUTHZ_TOKEN_CACHE_SIZE",
          "AUTHZ_LOG_ALLOW_SAMPLE",
          "AUTHZ_STARTUP_CHECKS");

  private FakeAuthzServer() {}

  public static void main(String[] args) throws Exception {
    BenchLogging.quiet();
    Map<String, String> env = System.getenv();
    List<String> missing = REQUIRED.stream().filter(name -> !env.containsKey(name)).toList();
    if (!missing.isEmpty()
        || !java.nio.file.Files.exists(java.nio.file.Path.of(env.get("AUTHZ_POLICY_FILE")))) {
      System.out.println("fake server: missing settings " + missing);
      System.exit(2);
    }
    HttpResponse<String> jwks =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(env.get("AUTHZ_JWKS_URL"))).build(),
                HttpResponse.BodyHandlers.ofString());
    if (jwks.statusCode() != 200 || !jwks.body().contains("Ed25519")) {
      System.out.println("fake server: bad JWKS " + jwks.statusCode());
      System.exit(3);
    }
    Server grpc =
        NoopCheckServer.start(Integer.parseInt(env.get("AUTHZ_GRPC_PORT")), new NoopCheckServer());
    HttpServer http =
        HttpServer.create(
            new InetSocketAddress("127.0.0.1", Integer.parseInt(env.get("AUTHZ_HTTP_PORT"))), 0);
    http.createContext(
        "/readyz",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    http.start();
    System.out.println(
        "fake server: local cache "
            + env.getOrDefault("AUTHZ_LOCAL_CACHE", "on")
            + ", redis "
            + env.get("AUTHZ_REDIS_URL"));
    grpc.awaitTermination();
  }
}
