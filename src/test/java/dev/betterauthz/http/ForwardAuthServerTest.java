package dev.betterauthz.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.config.AppConfig;
import dev.betterauthz.decision.Decision;
import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.decision.Identity;
import dev.betterauthz.pipeline.AccessRequest;
import dev.betterauthz.pipeline.Authorizer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ForwardAuthServerTest {
  private static final Identity ALICE =
      new Identity(
          Optional.of("u1"), Optional.of("acme"), List.of("admin", "staff"), List.of("user"));

  private static Vertx vertx;
  private static ForwardAuthServer server;
  private static int port;
  private static final AtomicReference<Authorizer> authorizer = new AtomicReference<>();
  private static final AtomicReference<AccessRequest> seen = new AtomicReference<>();
  private static final AtomicBoolean ready = new AtomicBoolean();
  private static final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startServer() throws Exception {
    vertx = Vertx.vertx();
    AppConfig.ServerConfig config =
        new AppConfig.ServerConfig(
            "127.0.0.1", 0, 0, "/check/", Duration.ofSeconds(1), AppConfig.StartupChecks.OFF);
    HealthProbe probe =
        new HealthProbe() {
          @Override
          public boolean ready() {
            return ready.get();
          }

          @Override
          public Map<String, String> detail() {
            return Map.of("jwks", ready.get() ? "loaded" : "missing");
          }
        };
    Authorizer delegating =
        request -> {
          seen.set(request);
          return authorizer.get().authorize(request);
        };
    server =
        new ForwardAuthServer(
            vertx, config, delegating, probe, () -> "authz_check_total{decision=\"allow\"} 3.0\n");
    port = server.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void allowAlice() {
    seen.set(null);
    authorizer.set(r -> CompletableFuture.completedFuture(allow(ALICE)));
  }

  private static Decision.Allow allow(Identity identity) {
    return new Decision.Allow("d-1", Optional.of("read-leave"), identity, Optional.empty());
  }

  private static Decision.Deny deny(DenyReason reason, boolean tokenPresented) {
    return new Decision.Deny("d-2", Optional.empty(), reason, tokenPresented, Identity.ANONYMOUS);
  }

  static HttpResponse<String> send(String method, String target, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void takesTheOriginalRequestFromNginxHeaders() throws Exception {
    HttpResponse<String> r =
        send(
            "GET",
            "/check",
            "X-Original-Method",
            "post",
            "X-Original-URI",
            "/api/orgs/acme/leave/7/approve?x=%2F",
            "Authorization",
            "Bearer t",
            "X-Org-Id",
            "acme",
            "Proxy-Authorization",
            "Basic Zm9v",
            "Keep-Alive",
            "timeout=5");
    assertThat(r.statusCode()).isEqualTo(200);
    AccessRequest request = seen.get();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/api/orgs/acme/leave/7/approve?x=%2F");
    assertThat(request.headers())
        .containsEntry("authorization", "Bearer t")
        .containsEntry("x-org-id", "acme")
        .doesNotContainKeys(
            "x-original-method", "x-original-uri", "proxy-authorization", "keep-alive");
    assertThat(request.contextExtensions()).isEmpty();
  }

  @Test
  void takesTheOriginalRequestFromTraefikHeaders() throws Exception {
    send(
        "GET",
        "/check",
        "X-Forwarded-Method",
        "DELETE",
        "X-Forwarded-Uri",
        "/api/orgs/acme/members/3",
        "X-Forwarded-Host",
        "app.example.com");
    AccessRequest request = seen.get();
    assertThat(request.method()).isEqualTo("DELETE");
    assertThat(request.path()).isEqualTo("/api/orgs/acme/members/3");
    assertThat(request.headers())
        .containsEntry("host", "app.example.com")
        .doesNotContainKeys("x-forwarded-method", "x-forwarded-uri");
  }

  @Test
  void takesTheOriginalRequestAfterThePrefixForEnvoyHttpService() throws Exception {
    HttpResponse<String> r = send("PATCH", "/check/api/orgs/acme/leave?page=2", "X-Org-Id", "acme");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(seen.get().method()).isEqualTo("PATCH");
    assertThat(seen.get().path()).isEqualTo("/api/orgs/acme/leave?page=2");
  }

  @Test
  void prefixModeAgreeingWithForwardedHeadersIsAccepted() throws Exception {
    HttpResponse<String> r =
        send("GET", "/check/api/x", "X-Original-URI", "/api/x", "X-Original-Method", "GET");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(seen.get().path()).isEqualTo("/api/x");
  }

  @Test
  void deniesWhenTheOriginalRequestIsUnknown() throws Exception {
    HttpResponse<String> r = send("GET", "/check");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("\"reason\":\"no_route\"");
    assertThat(seen.get()).isNull();
  }

  @Test
  void deniesWhenSourcesDisagree() throws Exception {
    HttpResponse<String> nginxVsTraefik =
        send("GET", "/check", "X-Original-URI", "/api/secret", "X-Forwarded-Uri", "/public");
    HttpResponse<String> prefixVsHeader =
        send("GET", "/check/api/secret", "X-Forwarded-Uri", "/public");
    HttpResponse<String> methods =
        send(
            "GET",
            "/check",
            "X-Original-URI",
            "/a",
            "X-Original-Method",
            "DELETE",
            "X-Forwarded-Uri",
            "/a",
            "X-Forwarded-Method",
            "GET");
    for (HttpResponse<String> r : List.of(nginxVsTraefik, prefixVsHeader, methods)) {
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).contains("\"reason\":\"ambiguous_path\"");
    }
    assertThat(seen.get()).isNull();
  }

  @Test
  void deniesARepeatedSourceHeader() throws Exception {
    HttpResponse<String> r =
        send("GET", "/check", "X-Original-URI", "/public", "X-Original-URI", "/api/secret");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("ambiguous_path");
    assertThat(seen.get()).isNull();
  }

  @Test
  void allowCarriesIdentityHeadersAndNamesClientIdentityHeadersToRemove() throws Exception {
    HttpResponse<String> r =
        send(
            "GET",
            "/check/api/x",
            "X-Auth-User-Id",
            "mallory",
            "x_auth_org_id",
            "evil",
            "X-AUTH-Extra",
            "1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("x-auth-user-id")).contains("u1");
    assertThat(r.headers().firstValue("x-auth-org-id")).contains("acme");
    assertThat(r.headers().firstValue("x-auth-org-role")).contains("admin,staff");
    assertThat(r.headers().firstValue("x-auth-platform-role")).contains("user");
    assertThat(r.headers().firstValue("x-auth-decision-id")).contains("d-1");
    assertThat(r.headers().firstValue("x-envoy-auth-headers-to-remove").orElseThrow().split(","))
        .containsExactlyInAnyOrder("x_auth_org_id", "x-auth-extra");
  }

  @Test
  void allowWithoutOrgRemovesAClientSentOrgHeader() throws Exception {
    authorizer.set(
        r ->
            CompletableFuture.completedFuture(
                allow(new Identity(Optional.of("u1"), Optional.empty(), List.of(), List.of()))));
    HttpResponse<String> r = send("GET", "/check/api/me", "X-Auth-Org-Id", "acme");
    assertThat(r.headers().firstValue("x-auth-org-id")).isEmpty();
    assertThat(r.headers().firstValue("x-envoy-auth-headers-to-remove")).contains("x-auth-org-id");
  }

  @Test
  void unauthenticatedDenyCarriesChallengeAndBody() throws Exception {
    authorizer.set(r -> CompletableFuture.completedFuture(deny(DenyReason.EXPIRED_TOKEN, true)));
    HttpResponse<String> r = send("GET", "/check/api/x", "Authorization", "Bearer old");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("www-authenticate"))
        .contains("Bearer realm=\"better-authz\", error=\"invalid_token\"");
    assertThat(r.headers().firstValue("content-type")).contains("application/json");
    assertThat(r.headers().firstValue("x-auth-decision-id")).contains("d-2");
    assertThat(r.body())
        .isEqualTo(
            "{\"error\":\"unauthenticated\",\"reason\":\"expired_token\",\"decision_id\":\"d-2\"}");
  }

  @Test
  void forbiddenDenyHasNoChallenge() throws Exception {
    authorizer.set(
        r -> CompletableFuture.completedFuture(deny(DenyReason.MISSING_PERMISSION, true)));
    HttpResponse<String> r = send("GET", "/check/api/x");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("www-authenticate")).isEmpty();
    assertThat(r.headers().firstValue("x-auth-user-id")).isEmpty();
    assertThat(r.body()).contains("\"reason\":\"missing_permission\"");
  }

  @Test
  void unavailableDenyCarriesRetryAfter() throws Exception {
    authorizer.set(
        r -> CompletableFuture.completedFuture(deny(DenyReason.BACKEND_UNAVAILABLE, true)));
    HttpResponse<String> r = send("GET", "/check/api/x");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).contains("1");
    assertThat(r.body()).contains("\"reason\":\"backend_unavailable\"");
  }

  @Test
  void authorizerThatThrowsGives503InternalError() throws Exception {
    authorizer.set(
        r -> {
          throw new IllegalStateException("bug");
        });
    assertInternalError(send("GET", "/check/api/x"));
  }

  @Test
  void failedStageGives503InternalError() throws Exception {
    authorizer.set(r -> CompletableFuture.failedFuture(new RuntimeException("boom")));
    assertInternalError(send("GET", "/check/api/x"));
  }

  @Test
  void nullDecisionGives503InternalError() throws Exception {
    authorizer.set(r -> CompletableFuture.completedFuture(null));
    assertInternalError(send("GET", "/check/api/x"));
  }

  @Test
  void decisionCompletedOnAnotherThreadIsAnswered() throws Exception {
    authorizer.set(
        r ->
            CompletableFuture.supplyAsync(
                () -> allow(ALICE), CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)));
    assertThat(send("GET", "/check/api/x").statusCode()).isEqualTo(200);
  }

  private static void assertInternalError(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).contains("1");
    assertThat(r.body()).contains("\"reason\":\"internal_error\"").doesNotContain("bug", "boom");
  }

  @Test
  void healthzIsAlwaysLive() throws Exception {
    ready.set(false);
    assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void readyzFollowsTheProbe() throws Exception {
    ready.set(false);
    HttpResponse<String> notReady = send("GET", "/readyz");
    ready.set(true);
    HttpResponse<String> isReady = send("GET", "/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body())
        .contains("\"status\":\"not_ready\"")
        .contains("\"jwks\":\"missing\"");
    assertThat(isReady.statusCode()).isEqualTo(200);
    assertThat(isReady.body()).contains("\"status\":\"ready\"").contains("\"jwks\":\"loaded\"");
  }

  @Test
  void metricsServesThePrometheusScrape() throws Exception {
    HttpResponse<String> r = send("GET", "/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body()).isEqualTo("authz_check_total{decision=\"allow\"} 3.0\n");
  }

  @Test
  void unknownPathIs404AndNotACheck() throws Exception {
    assertThat(send("GET", "/checkout").statusCode()).isEqualTo(404);
    assertThat(seen.get()).isNull();
  }
}
