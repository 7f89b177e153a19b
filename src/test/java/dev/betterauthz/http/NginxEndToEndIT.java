package dev.betterauthz.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.demo.SampleUpstream;
import dev.betterauthz.testsupport.ServerHarness;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real nginx ({@code deploy/nginx/better-authz.conf}) in front of the sample upstream, checking
 * every request through the real server's {@code /check} ({@link ServerHarness}: real PostgreSQL
 * with Better Auth rows, Redis, NATS, Better Auth-shaped tokens) with the demo policy {@code
 * deploy/compose/policy.yaml}.
 */
class NginxEndToEndIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static ServerHarness h;
  private static SampleUpstream upstream;
  private static NginxProcess nginx;
  private static String acme;
  private static String staff;
  private static String viewer;
  private static String banned;
  private static String outsider;

  @BeforeAll
  static void start() throws Exception {
    String policy = Files.readString(Path.of("deploy/compose/policy.yaml"));
    // The 503 test holds a lock on members; a short database timeout answers before nginx's 2 s.
    h =
        new ServerHarness(
            "nginx_e2e",
            SchemaNaming.PLURAL_SNAKE,
            policy,
            Map.of("AUTHZ_DATABASE_TIMEOUT", "700ms"));
    acme = h.rows.organization("acme");
    staff = member("staff", false);
    viewer = member("viewer", false);
    banned = member("staff", true);
    outsider = h.rows.user("user");
    upstream = SampleUpstream.start(0);
    warmUp(h.server.httpPort());
    nginx =
        NginxProcess.start(
            Path.of("deploy/nginx/better-authz.conf"),
            Map.of(
                "better-authz:8181", "127.0.0.1:" + h.server.httpPort(),
                "sample-upstream:8081", "127.0.0.1:" + upstream.port()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (nginx != null) {
      nginx.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (h != null) {
      h.close();
    }
  }

  private static String member(String role, boolean isBanned) {
    String user = h.rows.user("user", isBanned, Optional.empty());
    h.rows.member(acme, user, role);
    return user;
  }

  /**
   * NOTE: the first check in a cold JVM on a busy machine can exceed the example's 2 s
   * proxy_read_timeout (which nginx then rightly answers with 503); one direct call first.
   */
  private static void warmUp(int authzPort) throws Exception {
    HttpRequest warm =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + authzPort + "/check"))
            .header("X-Original-URI", "/healthz")
            .timeout(Duration.ofSeconds(30))
            .build();
    assertThat(client.send(warm, HttpResponse.BodyHandlers.discarding()).statusCode())
        .isEqualTo(200);
  }

  private static String bearer(String userId) {
    return "Bearer " + h.issuer.mint(userId, Map.of());
  }

  private static String approvePath() {
    return "/api/orgs/" + acme + "/leave/7/approve";
  }

  private static HttpResponse<String> send(String method, String target, String body, String... hs)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port() + target))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(10));
    for (int i = 0; i < hs.length; i += 2) {
      b.header(hs[i], hs[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static boolean reachedUpstream(String target) {
    return upstream.received().stream().anyMatch(line -> line.contains(target));
  }

  @Test
  void allowedRequestReachesUpstreamWithTheIdentity() throws Exception {
    String target = "/api/orgs/" + acme + "/leave?page=2";
    HttpResponse<String> r = send("GET", target, null, "Authorization", bearer(viewer));
    assertThat(r.statusCode()).as(nginx.errorLog()).isEqualTo(200);
    JsonNode echo = JSON.readTree(r.body());
    assertThat(echo.get("user_id").asText()).isEqualTo(viewer);
    assertThat(echo.get("org_id").asText()).isEqualTo(acme);
    assertThat(echo.get("org_role").asText()).isEqualTo("viewer");
    assertThat(echo.get("platform_role").asText()).isEqualTo("user");
    assertThat(echo.get("decision_id").asText()).hasSize(20);
    assertThat(echo.get("path").asText()).isEqualTo(target);
  }

  @Test
  void staffApprovingInTheirOrganizationKeepsMethodAndBody() throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            approvePath(),
            "{\"ok\":true}",
            "Authorization",
            bearer(staff),
            "Content-Type",
            "application/json");
    assertThat(r.statusCode()).as(nginx.errorLog()).isEqualTo(200);
    JsonNode echo = JSON.readTree(r.body());
    assertThat(echo.get("user_id").asText()).isEqualTo(staff);
    assertThat(echo.get("org_role").asText()).isEqualTo("staff");
    assertThat(echo.get("method").asText()).isEqualTo("POST");
    assertThat(echo.get("body_bytes").asLong()).isEqualTo(11);
  }

  @Test
  void theCheckSeesTheClientsMethod() throws Exception {
    // A viewer may GET leave but not POST an approval: a 403 proves the check saw POST.
    String target = "/api/orgs/" + acme + "/leave/77/approve";
    HttpResponse<String> r = send("POST", target, "{}", "Authorization", bearer(viewer));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(reachedUpstream(target)).isFalse();
  }

  @Test
  void deniedRequestsNeverReachTheUpstream() throws Exception {
    String noToken = "/api/orgs/" + acme + "/leave/401/approve";
    String forged = "/api/orgs/" + acme + "/leave/4011/approve";
    String asViewer = "/api/orgs/" + acme + "/leave/4031/approve";
    String asBanned = "/api/orgs/" + acme + "/leave/4032/approve";
    String asOutsider = "/api/orgs/" + acme + "/leave/4033/approve";
    HttpResponse<String> none = send("POST", noToken, null);
    HttpResponse<String> bad = send("POST", forged, null, "Authorization", forge(bearer(staff)));
    List<HttpResponse<String>> forbidden =
        List.of(
            send("POST", asViewer, null, "Authorization", bearer(viewer)),
            send("DELETE", asBanned, null, "Authorization", bearer(banned)),
            send("POST", asOutsider, null, "Authorization", bearer(outsider)));

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().allValues("www-authenticate"))
        .containsExactly("Bearer realm=\"better-authz\"");
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.headers().allValues("www-authenticate"))
        .containsExactly("Bearer realm=\"better-authz\", error=\"invalid_token\"");
    for (HttpResponse<String> r : forbidden) {
      assertThat(r.statusCode()).as(r.uri().toString()).isEqualTo(403);
      assertThat(r.body()).contains("\"error\":\"forbidden\"");
    }
    for (HttpResponse<String> r : List.of(none, bad, forbidden.get(0), forbidden.get(1))) {
      assertThat(r.headers().firstValue("content-type")).contains("application/json");
      assertThat(r.headers().firstValue("x-auth-decision-id"))
          .hasValueSatisfying(v -> assertThat(v).hasSize(20));
    }
    for (String target : List.of(noToken, forged, asViewer, asBanned, asOutsider)) {
      assertThat(reachedUpstream(target)).as(target).isFalse();
    }
  }

  @Test
  void anUnreachableDatabaseIs503AndNeverReachesTheUpstream() throws Exception {
    // org-settings is `consistency: strong`: always PostgreSQL, never a cache.
    String target = "/api/org/settings";
    try (MembersLock lock = MembersLock.take(h.rows.databaseUrl())) {
      HttpResponse<String> r =
          send("PATCH", target, "{}", "Authorization", bearer(staff), "x-org-id", acme);
      assertThat(r.statusCode()).as(nginx.errorLog()).isEqualTo(503);
      assertThat(r.headers().firstValue("retry-after")).contains("1");
      assertThat(r.headers().firstValue("content-type")).contains("application/json");
      assertThat(r.headers().firstValue("x-auth-decision-id"))
          .hasValueSatisfying(v -> assertThat(v).hasSize(20));
    }
    assertThat(reachedUpstream(target)).isFalse();
  }

  @Test
  void clientIdentityHeadersNeverReachTheUpstream() throws Exception {
    HttpResponse<String> r =
        send(
            "GET",
            "/api/orgs/" + acme + "/leave/leak-check",
            null,
            "Authorization",
            bearer(staff),
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
    assertThat(xAuthHeaders(r.body()))
        .containsOnlyKeys(
            "x-auth-user-id",
            "x-auth-org-id",
            "x-auth-org-role",
            "x-auth-platform-role",
            "x-auth-decision-id")
        .containsEntry("x-auth-user-id", staff)
        .containsEntry("x-auth-org-role", "staff")
        .containsEntry("x-auth-platform-role", "user");
  }

  @Test
  void identityHeadersTheDecisionDoesNotSetAreNotPassedFromTheClient() throws Exception {
    HttpResponse<String> noOrg =
        send("GET", "/api/me", null, "Authorization", bearer(outsider), "X-Auth-Org-Id", acme);
    HttpResponse<String> anonymous =
        send("GET", "/healthz", null, "X-Auth-User-Id", "admin", "X-Auth-Org-Role", "owner");
    assertThat(noOrg.statusCode()).isEqualTo(200);
    assertThat(xAuthHeaders(noOrg.body()))
        .containsOnlyKeys("x-auth-user-id", "x-auth-platform-role", "x-auth-decision-id")
        .containsEntry("x-auth-user-id", outsider);
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(xAuthHeaders(anonymous.body())).containsOnlyKeys("x-auth-decision-id");
  }

  @Test
  void aClientCannotRedirectTheCheckWithForwardedHeaders() throws Exception {
    // /healthz is public: were it checked instead, the outsider would be let through.
    String target = "/api/orgs/" + acme + "/leave/999/approve";
    HttpResponse<String> r =
        send(
            "POST",
            target,
            null,
            "Authorization",
            bearer(outsider),
            "X-Forwarded-Uri",
            "/healthz",
            "X-Forwarded-Method",
            "GET",
            "X-Original-URI",
            "/healthz",
            "X-Original-Method",
            "GET");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(reachedUpstream(target)).isFalse();
  }

  /** The same token with one character in the middle of its signature changed. */
  private static String forge(String bearer) {
    int at = bearer.lastIndexOf('.') + 20;
    char swap = bearer.charAt(at) == 'A' ? 'B' : 'A';
    return bearer.substring(0, at) + swap + bearer.substring(at + 1);
  }

  private static Map<String, String> xAuthHeaders(String body) throws Exception {
    JsonNode node = JSON.readTree(body).get("x_auth_headers");
    Map<String, String> out = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /** Holds an ACCESS EXCLUSIVE lock on {@code members} until closed, as a stuck migration would. */
  private record MembersLock(Vertx vertx, PgConnection connection) implements AutoCloseable {
    static MembersLock take(String url) throws Exception {
      Vertx vertx = Vertx.vertx();
      PgConnection c =
          PgConnection.connect(vertx, PgConnectOptions.fromUri(url)).await(10, TimeUnit.SECONDS);
      c.query("BEGIN").execute().await(10, TimeUnit.SECONDS);
      c.query("LOCK TABLE members IN ACCESS EXCLUSIVE MODE").execute().await(10, TimeUnit.SECONDS);
      return new MembersLock(vertx, c);
    }

    @Override
    public void close() throws Exception {
      connection.query("ROLLBACK").execute().await(10, TimeUnit.SECONDS);
      connection.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
