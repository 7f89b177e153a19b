package dev.betterauthz.testsupport;

import dev.betterauthz.app.Server;
import dev.betterauthz.config.AppConfig;
import dev.betterauthz.config.ConfigLoader;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.awaitility.Awaitility;

/**
 * The real server for end-to-end tests: real PostgreSQL (a fresh Better Auth database), Redis and
 * NATS (a subject prefix of its own), a {@link TestIssuer} JWKS, ports chosen at bind time, and a
 * real gRPC channel. Requests are shaped as Envoy sends them.
 */
public final class ServerHarness implements AutoCloseable {
  public final TestIssuer issuer;
  public final BetterAuthRows rows;
  public final Server server;
  public final String natsPrefix;
  public final Path policyFile;
  private final ManagedChannel channel;

  /**
   * @param settings extra or overriding {@code AUTHZ_*} settings
   */
  public ServerHarness(
      String prefix, AppConfig.SchemaNaming naming, String policyYaml, Map<String, String> settings)
      throws Exception {
    this(prefix, naming, policyYaml, env -> env.putAll(settings), true);
  }

  /**
   * @param adjust changes the {@code AUTHZ_*} settings last (e.g. to reach a backend through a
   *     {@code TcpProxy}: see {@link #viaPort})
   * @param awaitReady whether to wait until the server is ready (false for tests of unreadiness)
   */
  public ServerHarness(
      String prefix,
      AppConfig.SchemaNaming naming,
      String policyYaml,
      Consumer<Map<String, String>> adjust,
      boolean awaitReady)
      throws Exception {
    issuer = new TestIssuer();
    rows = BetterAuthRows.freshDatabase(prefix, naming);
    rows.addRequiredIndexes();
    natsPrefix = "it" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + ".";
    policyFile = Files.createTempFile("policy", ".yaml");
    Files.writeString(policyFile, policyYaml, StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>();
    env.put("AUTHZ_GRPC_PORT", "0");
    env.put("AUTHZ_HTTP_PORT", "0");
    env.put("AUTHZ_BIND_ADDRESS", "127.0.0.1");
    env.put("AUTHZ_POLICY_FILE", policyFile.toString());
    env.put("AUTHZ_JWKS_URL", issuer.jwksUrl().toString());
    env.put("AUTHZ_DATABASE_URL", rows.databaseUrl());
    env.put("AUTHZ_SCHEMA", naming.value());
    env.put("AUTHZ_REDIS_URL", TestServices.redisUrl());
    env.put("AUTHZ_NATS_URL", TestServices.natsUrl());
    env.put("AUTHZ_NATS_SUBJECT_PREFIX", natsPrefix);
    env.put("AUTHZ_SHUTDOWN_GRACE", "2s");
    env.put("AUTHZ_STARTUP_CHECKS", "off");
    adjust.accept(env);
    server = Server.start(ConfigLoader.fromEnv(env));
    if (awaitReady) {
      Awaitility.await("server ready")
          .atMost(30, TimeUnit.SECONDS)
          .until(server.readiness()::ready);
    }
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  /** The harness's gRPC channel to the server (plaintext, loopback). */
  public ManagedChannel channel() {
    return channel;
  }

  /** {@code url} with its host and port replaced by the loopback address and {@code port}. */
  public static String viaPort(String url, int port) {
    URI uri = URI.create(url);
    try {
      return new URI(
              uri.getScheme(),
              uri.getUserInfo(),
              "127.0.0.1",
              port,
              uri.getPath(),
              uri.getQuery(),
              uri.getFragment())
          .toString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** One Check as Envoy sends it; {@code token} may be null. */
  public CheckResponse check(
      String method, String path, String token, Map<String, String> headers) {
    AttributeContext.HttpRequest.Builder http =
        AttributeContext.HttpRequest.newBuilder()
            .setId("1")
            .setMethod(method)
            .setPath(path)
            .setHost("api.example.com")
            .setScheme("https")
            .setProtocol("HTTP/1.1")
            .putHeaders(":method", method)
            .putHeaders(":path", path)
            .putHeaders(":authority", "api.example.com")
            .putHeaders(":scheme", "https")
            .putHeaders("x-request-id", UUID.randomUUID().toString());
    if (token != null) {
      http.putHeaders("authorization", "Bearer " + token);
    }
    headers.forEach(http::putHeaders);
    CheckRequest request =
        CheckRequest.newBuilder()
            .setAttributes(
                AttributeContext.newBuilder()
                    .setRequest(AttributeContext.Request.newBuilder().setHttp(http)))
            .build();
    return AuthorizationGrpc.newBlockingStub(channel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(request);
  }

  public CheckResponse check(String method, String path, String token) {
    return check(method, path, token, Map.of());
  }

  /** The HTTP status Envoy would give: 200 on allow, else the denied status. */
  public static int status(CheckResponse response) {
    return response.getStatus().getCode() == 0
        ? 200
        : response.getDeniedResponse().getStatus().getCodeValue();
  }

  /** The deny reason from the JSON body, or "allow". */
  public static String reason(CheckResponse response) {
    if (response.getStatus().getCode() == 0) {
      return "allow";
    }
    String body = response.getDeniedResponse().getBody();
    int at = body.indexOf("\"reason\":\"") + 10;
    return body.substring(at, body.indexOf('"', at));
  }

  /** A header the allow sets on the upstream request. */
  public static String upstreamHeader(CheckResponse response, String name) {
    return response.getOkResponse().getHeadersList().stream()
        .filter(h -> h.getHeader().getKey().equals(name))
        .map(h -> h.getHeader().getValue())
        .findFirst()
        .orElse(null);
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow();
    server.close();
    issuer.close();
    rows.close();
    Files.deleteIfExists(policyFile);
  }
}
