package dev.betterauthz.hardening;

import static dev.betterauthz.testsupport.ServerHarness.status;
import static dev.betterauthz.testsupport.ServerHarness.upstreamHeader;
import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.testsupport.ServerHarness;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Path and header confusion end to end: a public {@code /public/} and a protected {@code /admin/};
 * no request target that some upstream could serve as {@code /admin/...} is allowed without a
 * token, and spoofed identity headers never reach the upstream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathConfusionIT {
  static final String POLICY =
      """
      platformRoles:
        superadmin: ["*"]
      routes:
        - name: public
          match: { prefix: /public/ }
          public: true
        - name: admin
          match: { prefix: /admin/ }
          authenticated: true
      default: deny
      """;

  /** Targets an upstream could resolve to {@code /admin/...}, each with why. */
  static final String[][] REACH_ADMIN = {
    {"/admin/x", "plain"},
    {"/admin/", "plain, trailing slash"},
    {"/public/../admin/x", "dot-dot"},
    {"/public/%2e%2e/admin/x", "encoded dot-dot"},
    {"/public/%2E%2E/admin/x", "encoded dot-dot, upper case"},
    {"/public/.%2e/admin/x", "half-encoded dot-dot"},
    {"/public/%2e./admin/x", "half-encoded dot-dot, other half"},
    {"/public/..%2fadmin/x", "encoded slash"},
    {"/public/..%2Fadmin/x", "encoded slash, upper case"},
    {"/public%2f..%2fadmin/x", "encoded slashes around dot-dot"},
    {"/public/..%5cadmin/x", "encoded backslash"},
    {"/public/..\\admin/x", "raw backslash"},
    {"//admin/x", "double slash"},
    {"///admin/x", "triple slash"},
    {"/public//../admin/x", "double slash before dot-dot"},
    {"/public/./../admin/x", "dot then dot-dot"},
    {"/./admin/x", "leading dot segment"},
    {"/admin;/x", "empty path parameter"},
    {"/admin;jsessionid=1/x", "path parameter"},
    {"/public/..;/admin/x", "Tomcat ..; traversal"},
    {"/public/;/../admin/x", "parameter then dot-dot"},
    {"/ADMIN/x", "upper case (case-insensitive upstream)"},
    {"/Admin/x", "mixed case"},
    {"/%61dmin/x", "encoded unreserved letter"},
    {"/adm%69n/x", "encoded unreserved letter inside"},
    {"/public/%252e%252e/admin/x", "double-encoded dot-dot"},
    {"/public/%25%32%65%25%32%65/admin/x", "double encoding with encoded digits"},
    {"/public/%252f../admin/x", "double-encoded slash"},
    {"/public/%c0%ae%c0%ae/admin/x", "overlong UTF-8 dots"},
    {"/public/%c0%af../admin/x", "overlong UTF-8 slash"},
    {"/public/%e0%80%ae%e0%80%ae/admin/x", "3-byte overlong dots"},
    {"/public/\uFF0E\uFF0E/admin/x", "raw fullwidth dots"},
    {"/public/%ef%bc%8e%ef%bc%8e/admin/x", "encoded fullwidth dots"},
    {"/public/%e2%80%a4%e2%80%a4/admin/x", "one dot leader"},
    {"/public/..%00/admin/x", "NUL after dot-dot"},
    {"/public/%00/../admin/x", "NUL segment"},
    {"/public/..%09/admin/x", "tab after dot-dot"},
    {"/public/.. /admin/x", "space after dot-dot"},
    {"/admin?/public/x", "query that looks like the public prefix"},
    {"/admin#/public/x", "fragment that looks like the public prefix"},
    {"/admin/x?p=/public/", "public path in the query"},
    {"/public/../../admin/x", "climbs above the root"},
    {"/public/..%2f..%2fadmin/x", "encoded slashes, twice"},
    {"http://api.example.com/admin/x", "absolute form"},
    {"admin/x", "no leading slash"},
    {"", "empty"},
    {"*", "asterisk form"},
    {"/public/%2e%2e%2fadmin/x", "encoded dot-dot-slash"},
    {"/public\\..\\admin\\x", "backslashes only"},
    {"/public/\u202E../admin/x", "bidi override"},
  };

  private ServerHarness h;
  private EnvoyCalls calls;
  private String token;
  private String user;

  @BeforeAll
  void start() throws Exception {
    h = new ServerHarness("pathconf", SchemaNaming.PLURAL_SNAKE, POLICY, Map.of());
    calls = new EnvoyCalls(h.server.grpcPort()).warm();
    user = h.rows.user("user");
    token = h.issuer.mint(user, Map.of());
  }

  @AfterAll
  void stop() throws Exception {
    calls.close();
    h.close();
  }

  private CheckResponse check(String path, Map<String, String> headers) {
    return calls.check(EnvoyCalls.request("GET", path, headers), 2000);
  }

  @Test
  void theControlsBehave() {
    assertThat(status(check("/public/x", Map.of()))).isEqualTo(200);
    assertThat(status(check("/admin/x", Map.of()))).isEqualTo(401);
    assertThat(status(check("/admin/x", Map.of("authorization", "Bearer " + token))))
        .isEqualTo(200);
  }

  @Test
  void noConfusingTargetReachesAdminWithoutAToken() {
    assertThat(REACH_ADMIN.length).isGreaterThanOrEqualTo(40);
    List<String> allowed = new ArrayList<>();
    for (String[] c : REACH_ADMIN) {
      CheckResponse r = check(c[0], Map.of());
      if (status(r) == 200) {
        allowed.add(c[1] + " (" + c[0] + ")");
      }
      assertThat(status(r)).as(c[1]).isIn(401, 403);
    }
    assertThat(allowed).isEmpty();
  }

  @Test
  void queryTricksAreDecidedOnThePathTheUpstreamSees() {
    // The upstream sees the path before '?': /public/x. Allowing it reaches nothing else.
    assertThat(status(check("/public/x?/../../admin/x", Map.of()))).isEqualTo(200);
    assertThat(status(check("/public/x?%2e%2e/admin", Map.of()))).isEqualTo(200);
    // and the same trick cannot hide a protected path behind a public-looking query
    assertThat(status(check("/admin/x?/public/", Map.of()))).isEqualTo(401);
  }

  @Test
  void spoofedIdentityHeadersAreRemovedInEverySpelling() {
    Map<String, String> spoofed = new HashMap<>();
    for (String name :
        List.of(
            "x-auth-user-id",
            "X-Auth-User-Id",
            "x_auth_user_id",
            "X_AUTH_ORG_ID",
            "x-auth_org-role",
            "x-auth-platform-role",
            "x-auth-decision-id",
            "x-auth-anything-else",
            "X-AUTH-TENANT")) {
      spoofed.put(name, "spoofed");
    }
    CheckResponse anonymous = check("/public/x", spoofed);
    assertThat(status(anonymous)).isEqualTo(200);
    assertSpoofsGone(anonymous, spoofed);
    Map<String, String> withToken = new HashMap<>(spoofed);
    withToken.put("authorization", "Bearer " + token);
    CheckResponse authenticated = check("/admin/x", withToken);
    assertThat(status(authenticated)).isEqualTo(200);
    assertThat(upstreamHeader(authenticated, "x-auth-user-id")).isEqualTo(user);
    assertSpoofsGone(authenticated, spoofed);
  }

  private static void assertSpoofsGone(CheckResponse r, Map<String, String> spoofed) {
    List<String> removed = r.getOkResponse().getHeadersToRemoveList();
    for (String name : spoofed.keySet()) {
      String lower = name.toLowerCase(Locale.ROOT);
      String set = upstreamHeader(r, lower);
      boolean overwritten = set != null && !set.equals("spoofed");
      assertThat(removed.contains(lower) || overwritten)
          .as(name + " removed or overwritten; removed=" + removed)
          .isTrue();
    }
    r.getOkResponse()
        .getHeadersList()
        .forEach(h -> assertThat(h.getHeader().getValue()).isNotEqualTo("spoofed"));
  }
}
