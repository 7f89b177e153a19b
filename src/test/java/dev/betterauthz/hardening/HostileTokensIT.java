package dev.betterauthz.hardening;

import static dev.betterauthz.testsupport.ServerHarness.reason;
import static dev.betterauthz.testsupport.ServerHarness.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.testsupport.ServerHarness;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The hostile-token corpus ({@link HostileTokens}) end to end: real server, real gRPC Check with a
 * deadline, an authenticated route and a user that exists, so a verifier bug would be an allow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileTokensIT {
  static final String POLICY =
      """
      roles:
        owner: ["*"]
      routes:
        - name: me
          match: { prefix: /api/me }
          authenticated: true
      default: deny
      """;
  private static final Set<String> TOKEN_REASONS =
      Set.of(
          "missing_token",
          "malformed_token",
          "invalid_signature",
          "disallowed_algorithm",
          "unknown_key",
          "expired_token",
          "token_not_yet_valid",
          "wrong_issuer",
          "wrong_audience",
          "invalid_session");
  private static final long DEADLINE_MILLIS = 1000;

  private ServerHarness h;
  private EnvoyCalls calls;
  private String user;
  private String jwksJson;

  @BeforeAll
  void start() throws Exception {
    h = new ServerHarness("hostile", SchemaNaming.PLURAL_SNAKE, POLICY, Map.of());
    calls = new EnvoyCalls(h.server.grpcPort()).warm();
    user = h.rows.user("superadmin");
    jwksJson =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(h.issuer.jwksUrl()).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
  }

  @AfterAll
  void stop() throws Exception {
    calls.close();
    h.close();
  }

  private CheckResponse me(String authorization) {
    return calls.check(
        EnvoyCalls.request("GET", "/api/me", Map.of("authorization", authorization)),
        DEADLINE_MILLIS);
  }

  @Test
  void theControlTokenIsAllowed() {
    assertThat(status(me("Bearer " + h.issuer.mint(user, Map.of())))).isEqualTo(200);
  }

  @Test
  void everyHostileTokenIsA401WithoutAJwksStorm() throws Exception {
    List<HostileTokens.Case> corpus = HostileTokens.corpus(h.issuer, user, jwksJson);
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(40);
    me("Bearer " + h.issuer.mint(user, Map.of())); // warm, and keys loaded
    int fetchesBefore = h.issuer.fetches();
    List<String> failures = new ArrayList<>();
    long slowest = 0;
    for (HostileTokens.Case c : corpus) {
      long start = System.nanoTime();
      try {
        CheckResponse r = me(c.authorization());
        slowest = Math.max(slowest, System.nanoTime() - start);
        String www = EnvoyCalls.deniedHeader(r, "www-authenticate");
        if (status(r) != 401 || !TOKEN_REASONS.contains(reason(r)) || www == null) {
          failures.add(c.name() + " -> " + status(r) + " " + reason(r));
        }
      } catch (StatusRuntimeException e) {
        failures.add(c.name() + " -> gRPC error " + e.getStatus().getCode());
      }
    }
    System.out.printf(
        "hostile tokens: %d cases, slowest %.1f ms, JWKS fetches +%d%n",
        corpus.size(), slowest / 1e6, h.issuer.fetches() - fetchesBefore);
    assertThat(failures).as("hostile tokens not refused with 401").isEmpty();
    assertThat(h.issuer.fetches() - fetchesBefore).as("JWKS fetches").isLessThanOrEqualTo(1);
  }

  @Test
  void theCorpusIsRefusedOnEveryRouteKindNeverAllowed() throws Exception {
    // NOTE: on an unknown route the answer is 403 (no route) before the token is read.
    for (HostileTokens.Case c : HostileTokens.corpus(h.issuer, user, jwksJson)) {
      CheckResponse r =
          calls.check(
              EnvoyCalls.request("GET", "/admin/x", Map.of("authorization", c.authorization())),
              DEADLINE_MILLIS);
      assertThat(status(r)).as(c.name()).isEqualTo(403);
    }
  }
}
