package dev.betterauthz.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.decision.Decision;
import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.policy.Policy;
import dev.betterauthz.policy.PolicyLoader;
import dev.betterauthz.tenancy.Access;
import dev.betterauthz.tenancy.AccessResolver;
import dev.betterauthz.tenancy.BackendUnavailableException;
import dev.betterauthz.tenancy.Consistency;
import dev.betterauthz.tenancy.RevocationLog;
import dev.betterauthz.testsupport.SamplePolicy;
import dev.betterauthz.token.TokenResult;
import dev.betterauthz.token.VerifiedToken;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The decision rules, with in-memory fakes for the credential and the role tiers. */
class PipelineAuthorizerTest {
  static final String POLICY =
      SamplePolicy.withRoutes(
          """
            - name: trial
              match: { prefix: /api/trial }
              tenant: { header: x-org-id }
              require: ["leave:approve"]
              mode: shadow
          """);

  private final Map<String, TokenResult> tokens = new HashMap<>();
  private final Map<String, Access> access = new HashMap<>();
  private final Map<String, Instant> revoked = new HashMap<>();
  private final AtomicInteger resolverCalls = new AtomicInteger();
  private Consistency lastConsistency;
  private boolean databaseDown;
  private PipelineAuthorizer authorizer;

  @BeforeEach
  void setUp() throws Exception {
    Policy policy = PolicyLoader.parse(POLICY, "test");
    AccessResolver resolver =
        new AccessResolver() {
          @Override
          public CompletionStage<Access> resolve(String user, Optional<String> org, Consistency c) {
            resolverCalls.incrementAndGet();
            lastConsistency = c;
            if (databaseDown) {
              return CompletableFuture.failedFuture(new BackendUnavailableException("down"));
            }
            Access a = access.get(user + ":" + org.orElse("-"));
            if (a != null) {
              return CompletableFuture.completedFuture(a);
            }
            Access standing = access.get(user + ":-");
            return CompletableFuture.completedFuture(
                standing != null
                    ? new Access(
                        true,
                        standing.platformRoles(),
                        standing.banned(),
                        List.of(),
                        Access.Tier.POSTGRES)
                    : new Access(false, List.of(), false, List.of(), Access.Tier.POSTGRES));
          }

          @Override
          public CompletionStage<Optional<String>> organizationIdBySlug(String slug) {
            return CompletableFuture.completedFuture(
                slug.equals("acme") ? Optional.of("org1") : Optional.empty());
          }
        };
    RevocationLog revocations =
        new RevocationLog() {
          @Override
          public Optional<Instant> latestRevocation(String userId, String orgId) {
            return Optional.ofNullable(revoked.get(userId + ":" + orgId));
          }

          @Override
          public boolean claimsTrusted() {
            return true;
          }
        };
    Authenticator authenticator =
        request ->
            CompletableFuture.completedFuture(
                request
                    .header("authorization")
                    .map(
                        h ->
                            tokens.getOrDefault(
                                h.substring(7),
                                new TokenResult.Invalid(
                                    DenyReason.INVALID_SIGNATURE, "unknown test token"))));
    authorizer =
        new PipelineAuthorizer(
            new PipelineParts(
                () -> policy,
                authenticator,
                resolver,
                new ClaimsTier(revocations, "organizationId", "orgRole"),
                OrgRoles.NONE),
            DecisionObserver.NONE);
  }

  private void token(String name, String user, Map<String, Object> claims) {
    tokens.put(
        name,
        new TokenResult.Valid(
            new VerifiedToken(
                user,
                Instant.parse("2026-12-03T10:00:00Z"),
                Instant.parse("2026-12-03T10:15:00Z"),
                claims,
                VerifiedToken.Kind.JWT)));
  }

  private void member(String user, String org, String roles) {
    access.put(
        user + ":" + org,
        new Access(true, List.of("user"), false, List.of(roles.split(",")), Access.Tier.POSTGRES));
    access.putIfAbsent(
        user + ":-", new Access(true, List.of("user"), false, List.of(), Access.Tier.POSTGRES));
  }

  private Decision check(String method, String path, String token, Map<String, String> extra)
      throws Exception {
    Map<String, String> headers = new HashMap<>(extra);
    if (token != null) {
      headers.put("authorization", "Bearer " + token);
    }
    return authorizer
        .authorize(AccessRequest.of(method, path, headers))
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  private Decision check(String method, String path, String token) throws Exception {
    return check(method, path, token, Map.of());
  }

  private static DenyReason reason(Decision d) {
    assertThat(d).isInstanceOf(Decision.Deny.class);
    return ((Decision.Deny) d).reason();
  }

  @Test
  void staffMayApproveInTheirOrganization() throws Exception {
    token("t", "u1", Map.of());
    member("u1", "org1", "staff");
    Decision d = check("POST", "/api/orgs/org1/leave/7/approve", "t");
    assertThat(d).isInstanceOf(Decision.Allow.class);
    Decision.Allow allow = (Decision.Allow) d;
    assertThat(allow.identity().userId()).contains("u1");
    assertThat(allow.identity().orgId()).contains("org1");
    assertThat(allow.identity().orgRoles()).containsExactly("staff");
    assertThat(allow.route()).contains("approve-leave");
    assertThat(allow.decisionId()).hasSize(20);
  }

  @Test
  void viewerMayNotApprove() throws Exception {
    token("t", "u1", Map.of());
    member("u1", "org1", "viewer");
    assertThat(reason(check("POST", "/api/orgs/org1/leave/7/approve", "t")))
        .isEqualTo(DenyReason.MISSING_PERMISSION);
  }

  @Test
  void anyOfSeveralRolesMayGrant() throws Exception {
    token("t", "u1", Map.of());
    member("u1", "org1", "viewer,staff");
    assertThat(check("POST", "/api/orgs/org1/leave/7/approve", "t"))
        .isInstanceOf(Decision.Allow.class);
  }

  @Test
  void nonMemberIsDeniedAndTheClaimOfAnotherOrgDoesNotHelp() throws Exception {
    token("t", "u1", Map.of("organizationId", "org2", "orgRole", "owner"));
    member("u1", "org2", "owner");
    assertThat(reason(check("POST", "/api/orgs/org1/leave/7/approve", "t")))
        .isEqualTo(DenyReason.NOT_MEMBER);
    assertThat(reason(check("GET", "/api/orgs/org1/leave", "t"))).isEqualTo(DenyReason.NOT_MEMBER);
  }

  @Test
  void platformRoleGrantsInEveryOrganizationWithoutMembership() throws Exception {
    token("t", "root", Map.of());
    access.put(
        "root:org1",
        new Access(true, List.of("superadmin"), false, List.of(), Access.Tier.POSTGRES));
    Decision d = check("POST", "/api/orgs/org1/leave/7/approve", "t");
    assertThat(d).isInstanceOf(Decision.Allow.class);
    assertThat(((Decision.Allow) d).identity().platformRoles()).containsExactly("superadmin");
  }

  @Test
  void bannedUserIsDeniedEvenWithAValidTokenAndRole() throws Exception {
    token("t", "u1", Map.of("banned", false));
    access.put(
        "u1:org1", new Access(true, List.of("user"), true, List.of("owner"), Access.Tier.POSTGRES));
    assertThat(reason(check("POST", "/api/orgs/org1/leave/7/approve", "t")))
        .isEqualTo(DenyReason.USER_BANNED);
  }

  @Test
  void bannedUserIsDeniedOnAuthenticatedRoutesToo() throws Exception {
    token("t", "u1", Map.of());
    access.put("u1:-", new Access(true, List.of("user"), true, List.of(), Access.Tier.POSTGRES));
    assertThat(reason(check("GET", "/api/me", "t"))).isEqualTo(DenyReason.USER_BANNED);
  }

  @Test
  void unknownUserIsDenied() throws Exception {
    token("t", "ghost", Map.of());
    assertThat(reason(check("GET", "/api/me", "t"))).isEqualTo(DenyReason.UNKNOWN_USER);
  }

  @Test
  void claimsTierDecidesWithoutIoForTheTokensOwnOrganization() throws Exception {
    token("t", "u1", Map.of("organizationId", "org1", "orgRole", "viewer"));
    Decision d = check("GET", "/api/orgs/org1/leave", "t");
    assertThat(d).isInstanceOf(Decision.Allow.class);
    assertThat(resolverCalls).hasValue(0);
  }

  @Test
  void claimsAreNotTrustedAfterARevocationNewerThanTheToken() throws Exception {
    token("t", "u1", Map.of("organizationId", "org1", "orgRole", "viewer"));
    revoked.put("u1:org1", Instant.parse("2026-12-03T10:05:00Z"));
    member("u1", "org9", "viewer");
    assertThat(reason(check("GET", "/api/orgs/org1/leave", "t"))).isEqualTo(DenyReason.NOT_MEMBER);
    assertThat(resolverCalls).hasValue(1);
  }

  @Test
  void claimsSayingBannedAreHonoured() throws Exception {
    token("t", "u1", Map.of("organizationId", "org1", "orgRole", "viewer", "banned", true));
    assertThat(reason(check("GET", "/api/orgs/org1/leave", "t"))).isEqualTo(DenyReason.USER_BANNED);
  }

  @Test
  void cachedRoutesIgnoreRoleClaims() throws Exception {
    token("t", "u1", Map.of("organizationId", "org1", "orgRole", "owner"));
    member("u1", "org1", "viewer");
    assertThat(reason(check("POST", "/api/orgs/org1/leave/7/approve", "t")))
        .isEqualTo(DenyReason.MISSING_PERMISSION);
    assertThat(lastConsistency).isEqualTo(Consistency.CACHED);
  }

  @Test
  void strongRoutesAskForStrongConsistency() throws Exception {
    token("t", "u1", Map.of());
    member("u1", "org1", "admin");
    assertThat(check("PATCH", "/api/org/settings", "t", Map.of("x-org-id", "org1")))
        .isInstanceOf(Decision.Allow.class);
    assertThat(lastConsistency).isEqualTo(Consistency.STRONG);
  }

  @Test
  void headerTenantMissingOrRepeatedIsDenied() throws Exception {
    token("t", "u1", Map.of());
    member("u1", "org1", "admin");
    assertThat(reason(check("PATCH", "/api/org/settings", "t")))
        .isEqualTo(DenyReason.MISSING_TENANT);
    assertThat(reason(check("PATCH", "/api/org/settings", "t", Map.of("x-org-id", "org1,org2"))))
        .isEqualTo(DenyReason.MISSING_TENANT);
  }

  @Test
  void claimTenantUsesTheActiveOrganization() throws Exception {
    token("t", "u1", Map.of("organizationId", "org1"));
    member("u1", "org1", "viewer");
    Decision d = check("GET", "/api/leave", "t");
    assertThat(d).isInstanceOf(Decision.Allow.class);
    assertThat(((Decision.Allow) d).identity().orgId()).contains("org1");
  }

  @Test
  void unknownSlugLooksExactlyLikeNotAMember() throws Exception {
    token("t", "u1", Map.of());
    member("u1", "org1", "viewer");
    assertThat(check("GET", "/o/acme/leave", "t")).isInstanceOf(Decision.Allow.class);
    assertThat(reason(check("GET", "/o/no-such-org/leave", "t"))).isEqualTo(DenyReason.NOT_MEMBER);
  }

  @Test
  void credentialProblemsAre401s() throws Exception {
    assertThat(reason(check("GET", "/api/me", null))).isEqualTo(DenyReason.MISSING_TOKEN);
    Decision.Deny missing = (Decision.Deny) check("GET", "/api/me", null);
    assertThat(missing.tokenPresented()).isFalse();
    Decision.Deny bad = (Decision.Deny) check("GET", "/api/me", "forged");
    assertThat(bad.reason()).isEqualTo(DenyReason.INVALID_SIGNATURE);
    assertThat(bad.tokenPresented()).isTrue();
  }

  @Test
  void publicRoutesNeedNoTokenAndUnknownRoutesAreDenied() throws Exception {
    assertThat(check("GET", "/healthz", null)).isInstanceOf(Decision.Allow.class);
    assertThat(reason(check("GET", "/nowhere", null))).isEqualTo(DenyReason.NO_ROUTE);
    assertThat(reason(check("DELETE", "/api/orgs/org1/leave/7/approve", null)))
        .isEqualTo(DenyReason.NO_ROUTE);
  }

  @Test
  void ambiguousPathsAreDeniedBeforeAnythingElse() throws Exception {
    assertThat(reason(check("GET", "/api/orgs/org1%2Fleave", null)))
        .isEqualTo(DenyReason.AMBIGUOUS_PATH);
    assertThat(reason(check("GET", "/../healthz", null))).isEqualTo(DenyReason.AMBIGUOUS_PATH);
  }

  @Test
  void explainTracesNeverShowTheQueryString() throws Exception {
    AccessRequest request =
        AccessRequest.of("GET", "/api/%2Fx?access_token=secret-value", Map.of());
    PipelineAuthorizer.Explained explained =
        authorizer.explain(request).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(reason(explained.decision())).isEqualTo(DenyReason.AMBIGUOUS_PATH);
    assertThat(explained.trace().steps()).isNotEmpty().noneMatch(s -> s.contains("secret-value"));
  }

  @Test
  void unsafeSubjectsAreRefused() throws Exception {
    token("t", "u1\r\nx-auth-user-id: root", Map.of());
    assertThat(reason(check("GET", "/api/me", "t"))).isEqualTo(DenyReason.MALFORMED_TOKEN);
  }

  @Test
  void databaseDownIs503NeverAnAllow() throws Exception {
    token("t", "u1", Map.of());
    member("u1", "org1", "owner");
    databaseDown = true;
    assertThat(reason(check("POST", "/api/orgs/org1/leave/7/approve", "t")))
        .isEqualTo(DenyReason.BACKEND_UNAVAILABLE);
  }

  @Test
  void shadowModeAllowsButRecordsTheDeny() throws Exception {
    token("t", "u1", Map.of());
    member("u1", "org1", "viewer");
    Decision d = check("GET", "/api/trial/x", "t", Map.of("x-org-id", "org1"));
    assertThat(d).isInstanceOf(Decision.Allow.class);
    assertThat(((Decision.Allow) d).shadowedDeny()).contains(DenyReason.MISSING_PERMISSION);
  }

  @Test
  void shadowModeNeverTurnsAnOutageIntoAnAllow() throws Exception {
    token("t", "u1", Map.of());
    databaseDown = true;
    assertThat(reason(check("GET", "/api/trial/x", "t", Map.of("x-org-id", "org1"))))
        .isEqualTo(DenyReason.BACKEND_UNAVAILABLE);
  }

  @Test
  void gatewayMaySelectTheRouteByName() throws Exception {
    token("t", "u1", Map.of());
    member("u1", "org1", "viewer");
    AccessRequest request =
        new AccessRequest(
            "GET",
            "/api/me",
            Map.of("authorization", "Bearer t"),
            Map.of("route", "no-such-route"),
            Long.MAX_VALUE);
    Decision d = authorizer.authorize(request).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(reason(d)).isEqualTo(DenyReason.NO_ROUTE);
    AccessRequest named =
        new AccessRequest(
            "GET",
            "/api/me",
            Map.of("authorization", "Bearer t"),
            Map.of("route", "me"),
            Long.MAX_VALUE);
    assertThat(authorizer.authorize(named).toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isInstanceOf(Decision.Allow.class);
  }

  @Test
  void aDecisionThatWouldMissTheDeadlineIsA503InTime() throws Exception {
    token("t", "u1", Map.of());
    CompletableFuture<Access> never = new CompletableFuture<>();
    PipelineAuthorizer slow =
        new PipelineAuthorizer(
            new PipelineParts(
                () -> {
                  try {
                    return PolicyLoader.parse(POLICY, "t");
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                r -> CompletableFuture.completedFuture(Optional.of(tokens.get("t"))),
                new AccessResolver() {
                  @Override
                  public CompletionStage<Access> resolve(
                      String u, Optional<String> o, Consistency c) {
                    return never;
                  }

                  @Override
                  public CompletionStage<Optional<String>> organizationIdBySlug(String slug) {
                    return CompletableFuture.completedFuture(Optional.empty());
                  }
                },
                new ClaimsTier(
                    new RevocationLog() {
                      @Override
                      public Optional<Instant> latestRevocation(String u, String o) {
                        return Optional.empty();
                      }

                      @Override
                      public boolean claimsTrusted() {
                        return false;
                      }
                    },
                    "organizationId",
                    "orgRole"),
                OrgRoles.NONE),
            DecisionObserver.NONE);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
    AccessRequest request =
        new AccessRequest(
            "POST",
            "/api/orgs/org1/leave/7/approve",
            Map.of("authorization", "Bearer t"),
            Map.of(),
            deadline);
    Decision d = slow.authorize(request).toCompletableFuture().get(5, TimeUnit.SECONDS);
    // The resolver never answers: only the deadline can have produced this decision.
    assertThat(reason(d)).isEqualTo(DenyReason.BACKEND_UNAVAILABLE);
    assertThat(never).isNotDone();
  }
}
