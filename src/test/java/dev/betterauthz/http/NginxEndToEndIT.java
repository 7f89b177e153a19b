package dev.betterauthz.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.betterauthz.config.AppConfig;
import dev.betterauthz.decision.Decision;
import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.decision.Identity;
import dev.betterauthz.demo.SampleUpstream;
import dev.betterauthz.pipeline.AccessRequest;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real nginx ({@code deploy/nginx/better-authz.conf}) in front of the sample upstream, checking
 * every request through {@link ForwardAuthServer}'s {@code /check} with a small test authorizer.
 */
class NginxEndToEndIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<AccessRequest> checked = new CopyOnWriteArrayList<>();
  private static final AtomicInteger decisions = new AtomicInteger();
  private static final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static Vertx vertx;
  private static ForwardAuthServer authz;
  private static SampleUpstream upstream;
  private static NginxProcess nginx;

  @BeforeAll
  static void start() throws Exception {
    upstream = SampleUpstream.start(0);
    vertx = Vertx.vertx();
    AppConfig.ServerConfig config =
        new AppConfig.ServerConfig(
            "127.0.0.1", 0, 0, "/check", Duration.ofSeconds(1), AppConfig.StartupChecks.OFF);
    authz = new ForwardAuthServer(vertx, config, NginxEndToEndIT::decide, ready(), () -> "");
    int authzPort = authz.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
    warmUp(authzPort);
    nginx =
        NginxProcess.start(
            Path.of("deploy/nginx/better-authz.conf"),
            Map.of(
                "better-authz:8181", "127.0.0.1:" + authzPort,
                "sample-upstream:8081", "127.0.0.1:" + upstream.port()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (nginx != null) {
      nginx.close();
    }
    if (authz != null) {
      authz.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  /**
   * NOTE: the first check in a cold JVM on a busy machine can exceed the example's 2 s
   * proxy_read_timeout (which nginx then rightly answers with 503); one direct call first.
   */
  private static void warmUp(int authzPort) throws Exception {
    HttpRequest warm =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + authzPort + "/check"))
            .header("X-Original-URI", "/public/warm-up")
            .timeout(Duration.ofSeconds(30))
            .build();
    assertThat(client.send(warm, HttpResponse.BodyHandlers.discarding()).statusCode())
        .isEqualTo(200);
  }

  /**
   * The test double: {@code Bearer good} is u1/acme/admin, {@code Bearer noorg} is u1 without an
   * organization, {@code /public/*} is anonymous, {@code Bearer bad} is 401, {@code Bearer down} is
   * 503, anything else 403.
   */
  private static CompletableFuture<Decision> decide(AccessRequest request) {
    checked.add(request);
    String id = "dec-" + decisions.incrementAndGet();
    String auth = request.header("authorization").orElse("");
    Decision d;
    if (request.path().startsWith("/public/")) {
      d = new Decision.Allow(id, Optional.of("public"), Identity.ANONYMOUS, Optional.empty());
    } else if (auth.equals("Bearer good") || auth.equals("Bearer noorg")) {
      Identity who =
          auth.endsWith("good")
              ? new Identity(
                  Optional.of("u1"), Optional.of("acme"), List.of("admin"), List.of("user"))
              : new Identity(Optional.of("u1"), Optional.empty(), List.of(), List.of("user"));
      d = new Decision.Allow(id, Optional.of("r"), who, Optional.empty());
    } else {
      DenyReason reason =
          switch (auth) {
            case "Bearer bad" -> DenyReason.INVALID_SIGNATURE;
            case "Bearer down" -> DenyReason.BACKEND_UNAVAILABLE;
            default -> DenyReason.MISSING_PERMISSION;
          };
      d = new Decision.Deny(id, Optional.empty(), reason, !auth.isEmpty(), Identity.ANONYMOUS);
    }
    return CompletableFuture.completedFuture(d);
  }

  private static HealthProbe ready() {
    return new HealthProbe() {
      @Override
      public boolean ready() {
        return true;
      }

      @Override
      public Map<String, String> detail() {
        return Map.of();
      }
    };
  }

  private static HttpResponse<String> send(String method, String target, String body, String... h)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port() + target))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(10));
    for (int i = 0; i < h.length; i += 2) {
      b.header(h[i], h[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static AccessRequest lastCheck(String path) {
    return checked.stream()
        .filter(r -> r.path().equals(path))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no check for " + path + "\n" + nginx.errorLog()));
  }

  @Test
  void allowedRequestReachesUpstreamWithTheIdentity() throws Exception {
    HttpResponse<String> r =
        send("GET", "/api/orgs/acme/leave?page=2", null, "Authorization", "Bearer good");
    assertThat(r.statusCode()).as(nginx.errorLog()).isEqualTo(200);
    JsonNode echo = JSON.readTree(r.body());
    assertThat(echo.get("user_id").asText()).isEqualTo("u1");
    assertThat(echo.get("org_id").asText()).isEqualTo("acme");
    assertThat(echo.get("org_role").asText()).isEqualTo("admin");
    assertThat(echo.get("platform_role").asText()).isEqualTo("user");
    assertThat(echo.get("decision_id").asText()).startsWith("dec-");
    assertThat(echo.get("path").asText()).isEqualTo("/api/orgs/acme/leave?page=2");
    AccessRequest seen = lastCheck("/api/orgs/acme/leave?page=2");
    assertThat(seen.method()).isEqualTo("GET");
    assertThat(seen.header("authorization")).contains("Bearer good");
  }

  @Test
  void allowedPostKeepsItsMethodAndBody() throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/api/orgs/acme/leave/7/approve",
            "{\"ok\":true}",
            "Authorization",
            "Bearer good",
            "Content-Type",
            "application/json");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode echo = JSON.readTree(r.body());
    assertThat(echo.get("method").asText()).isEqualTo("POST");
    assertThat(echo.get("body_bytes").asLong()).isEqualTo(11);
    assertThat(lastCheck("/api/orgs/acme/leave/7/approve").method()).isEqualTo("POST");
  }

  @Test
  void deniedRequestsNeverReachTheUpstream() throws Exception {
    HttpResponse<String> unauthenticated =
        send("GET", "/api/denied-401", null, "Authorization", "Bearer bad");
    HttpResponse<String> forbidden =
        send("DELETE", "/api/denied-403", null, "Authorization", "Bearer other");
    HttpResponse<String> unavailable =
        send("GET", "/api/denied-503", null, "Authorization", "Bearer down");

    assertThat(unauthenticated.statusCode()).isEqualTo(401);
    assertThat(unauthenticated.headers().allValues("www-authenticate"))
        .containsExactly("Bearer realm=\"better-authz\", error=\"invalid_token\"");
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.body()).contains("\"error\":\"forbidden\"");
    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(unavailable.headers().firstValue("retry-after")).contains("1");
    for (HttpResponse<String> r : List.of(unauthenticated, forbidden, unavailable)) {
      assertThat(r.headers().firstValue("content-type")).contains("application/json");
      assertThat(r.headers().firstValue("x-auth-decision-id"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("dec-"));
    }
    assertThat(lastCheck("/api/denied-403").method()).isEqualTo("DELETE");
    assertThat(upstream.received()).noneMatch(line -> line.contains("/api/denied-"));
  }

  @Test
  void clientIdentityHeadersNeverReachTheUpstream() throws Exception {
    HttpResponse<String> r =
        send(
            "GET",
            "/api/leak-check",
            null,
            "Authorization",
            "Bearer good",
            "X-Auth-User-Id",
            "mallory",
            "x-auth-org-role",
            "owner",
            "X-AUTH-PLATFORM-ROLE",
            "superadmin",
            "X-Auth-Extra",
            "1",
            "X_Auth_User_Id",
            "mallory",
            "x_auth_extra",
            "2");
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, String> got = xAuthHeaders(r.body());
    assertThat(got)
        .containsOnlyKeys(
            "x-auth-user-id",
            "x-auth-org-id",
            "x-auth-org-role",
            "x-auth-platform-role",
            "x-auth-decision-id")
        .containsEntry("x-auth-user-id", "u1")
        .containsEntry("x-auth-org-role", "admin")
        .containsEntry("x-auth-platform-role", "user");
  }

  @Test
  void identityHeadersTheDecisionDoesNotSetAreNotPassedFromTheClient() throws Exception {
    HttpResponse<String> noOrg =
        send("GET", "/api/me", null, "Authorization", "Bearer noorg", "X-Auth-Org-Id", "acme");
    HttpResponse<String> anonymous =
        send("GET", "/public/page", null, "X-Auth-User-Id", "admin", "X-Auth-Org-Role", "owner");
    assertThat(xAuthHeaders(noOrg.body()))
        .containsOnlyKeys("x-auth-user-id", "x-auth-platform-role", "x-auth-decision-id");
    assertThat(xAuthHeaders(anonymous.body())).containsOnlyKeys("x-auth-decision-id");
  }

  @Test
  void aClientCannotRedirectTheCheckWithForwardedHeaders() throws Exception {
    HttpResponse<String> r =
        send(
            "GET",
            "/api/spoof-target",
            null,
            "Authorization",
            "Bearer other",
            "X-Forwarded-Uri",
            "/public/page",
            "X-Forwarded-Method",
            "GET",
            "X-Original-URI",
            "/public/page");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(lastCheck("/api/spoof-target").path()).isEqualTo("/api/spoof-target");
    assertThat(upstream.received()).noneMatch(line -> line.contains("/api/spoof-target"));
  }

  private static Map<String, String> xAuthHeaders(String body) throws Exception {
    JsonNode node = JSON.readTree(body).get("x_auth_headers");
    Map<String, String> out = new java.util.TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }
}
