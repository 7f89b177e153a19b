package dev.betterauthz.app;

import static dev.betterauthz.testsupport.ServerHarness.reason;
import static dev.betterauthz.testsupport.ServerHarness.status;
import static dev.betterauthz.testsupport.ServerHarness.upstreamHeader;
import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.testsupport.Events;
import dev.betterauthz.testsupport.SamplePolicy;
import dev.betterauthz.testsupport.ServerHarness;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * End to end over a real gRPC channel: Better Auth-shaped tokens and rows, the real server with
 * real PostgreSQL, Redis and NATS. Run once per schema naming by the concrete subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DecisionSuite {
  static final String POLICY = SamplePolicy.DESIGN;

  private final SchemaNaming naming;
  ServerHarness h;
  Events events;
  String acme;
  String globex;

  DecisionSuite(SchemaNaming naming) {
    this.naming = naming;
  }

  @BeforeAll
  void start() throws Exception {
    h = new ServerHarness("decisions", naming, POLICY, Map.of("AUTHZ_DYNAMIC_ROLES", "true"));
    events = new Events(h.natsPrefix);
    acme = h.rows.organization("acme-" + naming.value());
    globex = h.rows.organization("globex-" + naming.value());
  }

  @AfterAll
  void stop() throws Exception {
    events.close();
    h.close();
  }

  private String memberToken(String role) {
    String user = h.rows.user("user");
    h.rows.member(acme, user, role);
    return h.issuer.mint(user, Map.of());
  }

  private CheckResponse approve(String token) {
    return h.check("POST", "/api/orgs/" + acme + "/leave/7/approve", token);
  }

  @Test
  void ownerAdminAndStaffMayApprove() {
    for (String role : new String[] {"owner", "admin", "staff"}) {
      CheckResponse r = approve(memberToken(role));
      assertThat(status(r)).as(role).isEqualTo(200);
      assertThat(upstreamHeader(r, "x-auth-org-role")).isEqualTo(role);
      assertThat(upstreamHeader(r, "x-auth-org-id")).isEqualTo(acme);
      assertThat(upstreamHeader(r, "x-auth-platform-role")).isEqualTo("user");
      assertThat(upstreamHeader(r, "x-auth-decision-id")).hasSize(20);
    }
  }

  @Test
  void viewerMayReadButNotApprove() {
    String token = memberToken("viewer");
    assertThat(reason(approve(token))).isEqualTo("missing_permission");
    assertThat(status(h.check("GET", "/api/orgs/" + acme + "/leave", token))).isEqualTo(200);
  }

  @Test
  void anyOfSeveralRolesGrants() {
    assertThat(status(approve(memberToken("viewer,staff")))).isEqualTo(200);
  }

  @Test
  void nonMembersAreDeniedWithoutLearningWhetherTheOrgExists() {
    String user = h.rows.user("user");
    h.rows.member(globex, user, "owner");
    String token = h.issuer.mint(user, Map.of("organizationId", globex, "orgRole", "owner"));
    CheckResponse real = approve(token);
    CheckResponse imaginary = h.check("POST", "/api/orgs/no-such-org/leave/7/approve", token);
    assertThat(reason(real)).isEqualTo("not_member");
    assertThat(reason(imaginary)).isEqualTo("not_member");
    assertThat(status(real)).isEqualTo(403);
    assertThat(reason(h.check("GET", "/api/orgs/" + acme + "/leave", token)))
        .isEqualTo("not_member");
  }

  @Test
  void bannedUsersAreDeniedAlthoughTheirTokenSaysOtherwise() {
    String user = h.rows.user("user", true, Optional.empty());
    h.rows.member(acme, user, "owner");
    String token = h.issuer.mint(user, Map.of("banned", false));
    assertThat(reason(approve(token))).isEqualTo("user_banned");
    assertThat(reason(h.check("GET", "/api/me", token))).isEqualTo("user_banned");
    String expiredBan = h.rows.user("user", true, Optional.of(Instant.now().minusSeconds(60)));
    h.rows.member(acme, expiredBan, "owner");
    assertThat(status(approve(h.issuer.mint(expiredBan, Map.of())))).isEqualTo(200);
  }

  @Test
  void platformAdminsActInEveryOrganizationWithoutMembership() {
    String admin = h.rows.user("admin");
    CheckResponse r = approve(h.issuer.mint(admin, Map.of()));
    assertThat(status(r)).isEqualTo(200);
    assertThat(upstreamHeader(r, "x-auth-platform-role")).isEqualTo("admin");
    assertThat(upstreamHeader(r, "x-auth-org-role")).isNull();
  }

  @Test
  void credentialProblemsAre401WithAChallenge() {
    CheckResponse none = approve(null);
    assertThat(status(none)).isEqualTo(401);
    assertThat(none.getDeniedResponse().getHeadersList())
        .anySatisfy(
            hv -> {
              assertThat(hv.getHeader().getKey()).isEqualTo("www-authenticate");
              assertThat(hv.getHeader().getValue()).isEqualTo("Bearer realm=\"better-authz\"");
            });
    String user = h.rows.user("user");
    String expired =
        h.issuer.mint(
            user, Map.of(), Instant.now().minus(Duration.ofHours(2)), Duration.ofMinutes(15));
    CheckResponse r = approve(expired);
    assertThat(reason(r)).isEqualTo("expired_token");
    assertThat(r.getDeniedResponse().getHeadersList())
        .anySatisfy(
            hv -> assertThat(hv.getHeader().getValue()).contains("error=\"invalid_token\""));
    assertThat(reason(approve("garbage.token.value"))).isIn("malformed_token", "invalid_signature");
  }

  @Test
  void spoofedIdentityHeadersNeverReachTheUpstream() {
    String token = memberToken("staff");
    CheckResponse r =
        h.check(
            "POST",
            "/api/orgs/" + acme + "/leave/7/approve",
            token,
            Map.of("x-auth-user-id", "root", "x-auth-is-admin", "1", "x_auth_org_role", "owner"));
    assertThat(upstreamHeader(r, "x-auth-user-id")).isNotEqualTo("root");
    assertThat(r.getOkResponse().getHeadersToRemoveList())
        .containsExactlyInAnyOrder("x-auth-is-admin", "x_auth_org_role");
    CheckResponse pub = h.check("GET", "/healthz", null, Map.of("x-auth-user-id", "root"));
    assertThat(status(pub)).isEqualTo(200);
    assertThat(pub.getOkResponse().getHeadersToRemoveList()).contains("x-auth-user-id");
  }

  @Test
  void tenantsFromSlugHeaderAndClaim() {
    String user = h.rows.user("user");
    h.rows.member(acme, user, "admin");
    String token = h.issuer.mint(user, Map.of("organizationId", acme));
    assertThat(status(h.check("GET", "/o/acme-" + naming.value() + "/x", token))).isEqualTo(200);
    assertThat(reason(h.check("GET", "/o/nope/x", token))).isEqualTo("not_member");
    assertThat(status(h.check("PATCH", "/api/org/settings", token, Map.of("x-org-id", acme))))
        .isEqualTo(200);
    assertThat(reason(h.check("PATCH", "/api/org/settings", token))).isEqualTo("missing_tenant");
    assertThat(status(h.check("GET", "/api/leave", token))).isEqualTo(200);
  }

  @Test
  void roleChangeAndRemovalAreEnforcedAsSoonAsTheEventArrives() throws Exception {
    String user = h.rows.user("user");
    h.rows.member(acme, user, "staff");
    String token = h.issuer.mint(user, Map.of());
    assertThat(status(approve(token))).isEqualTo(200);
    h.rows.setMemberRole(acme, user, "viewer");
    events.publish("member.role.changed", user, acme);
    Awaitility.await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> reason(approve(token)).equals("missing_permission"));
    h.rows.removeMember(acme, user);
    events.publish("member.removed", user, acme);
    Awaitility.await()
        .atMost(5, TimeUnit.SECONDS)
        .until(
            () ->
                reason(h.check("GET", "/api/orgs/" + acme + "/leave", token)).equals("not_member"));
  }

  @Test
  void aBanEndsClaimsTierAccessAtOnce() throws Exception {
    String user = h.rows.user("user");
    h.rows.member(acme, user, "viewer");
    String token =
        h.issuer.mint(
            user,
            Map.of("organizationId", acme, "orgRole", "viewer"),
            Instant.now().minusSeconds(5),
            Duration.ofMinutes(15));
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> status(h.check("GET", "/api/orgs/" + acme + "/leave", token)) == 200);
    h.rows.banUser(user, Optional.empty());
    events.publish("user.banned", user, null);
    Awaitility.await()
        .atMost(5, TimeUnit.SECONDS)
        .until(
            () ->
                reason(h.check("GET", "/api/orgs/" + acme + "/leave", token))
                    .equals("user_banned"));
  }

  @Test
  void dynamicRolesGrantAndUnionWithStaticRolesOfTheSameName() throws Exception {
    String org = h.rows.organization("dyn-" + naming.value());
    h.rows.organizationRole(org, "auditor", "{\"leave\":[\"read\"]}");
    h.rows.organizationRole(org, "viewer", "{\"leave\":[\"approve\"]}");
    String auditor = h.rows.user("user");
    h.rows.member(org, auditor, "auditor");
    String viewer = h.rows.user("user");
    h.rows.member(org, viewer, "viewer");
    String a = h.issuer.mint(auditor, Map.of());
    String v = h.issuer.mint(viewer, Map.of());
    assertThat(status(h.check("GET", "/api/orgs/" + org + "/leave", a))).isEqualTo(200);
    assertThat(reason(h.check("POST", "/api/orgs/" + org + "/leave/1/approve", a)))
        .isEqualTo("missing_permission");
    assertThat(status(h.check("POST", "/api/orgs/" + org + "/leave/1/approve", v))).isEqualTo(200);
    assertThat(status(h.check("GET", "/api/orgs/" + org + "/leave", v))).isEqualTo(200);
  }

  @Test
  void unknownRoutesAreDeniedAndPublicOnesNeedNoToken() {
    assertThat(reason(h.check("GET", "/admin", null))).isEqualTo("no_route");
    assertThat(status(h.check("GET", "/healthz", null))).isEqualTo(200);
    assertThat(reason(h.check("GET", "/api/orgs/x/../../admin", null)))
        .isIn("ambiguous_path", "no_route");
  }
}
