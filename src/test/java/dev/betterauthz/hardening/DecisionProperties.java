package dev.betterauthz.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.decision.Decision;
import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.pipeline.AccessRequest;
import dev.betterauthz.pipeline.Authenticator;
import dev.betterauthz.pipeline.ClaimsTier;
import dev.betterauthz.pipeline.DecisionObserver;
import dev.betterauthz.pipeline.OrgRoles;
import dev.betterauthz.pipeline.PipelineAuthorizer;
import dev.betterauthz.pipeline.PipelineParts;
import dev.betterauthz.policy.Policy;
import dev.betterauthz.policy.PolicyLoader;
import dev.betterauthz.tenancy.Access;
import dev.betterauthz.tenancy.AccessResolver;
import dev.betterauthz.tenancy.Consistency;
import dev.betterauthz.tenancy.RevocationLog;
import dev.betterauthz.testsupport.Gen;
import dev.betterauthz.token.TokenResult;
import dev.betterauthz.token.VerifiedToken;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Random (user, organization, member role, ban, platform role, route, token) scenarios through a
 * real {@link PipelineAuthorizer} with in-memory fakes of the credential and role tiers, against an
 * independent oracle: no allow unless the token is valid, the user exists and is not banned, and a
 * member role in the requested organization or a platform role grants the route's permission. Token
 * claims are what Better Auth minted; a claim made stale by a later change (role change, removal,
 * ban) always comes with a revocation event newer than the token, as the NATS listener records it.
 */
class DecisionProperties {
  static final String POLICY =
      """
      roles:
        owner:  ["*"]
        admin:  ["leave:*"]
        staff:  ["leave:approve", "leave:read"]
        viewer: ["leave:read"]
      platformRoles:
        superadmin: ["*"]
      routes:
        - name: health
          match: { path: /healthz }
          public: true
        - name: approve
          match: { methods: [POST], path: "/api/orgs/{org}/leave/{id}/approve" }
          tenant: { path: org }
          require: ["leave:approve"]
        - name: read
          match: { methods: [GET], prefix: "/api/orgs/{org}/leave" }
          tenant: { path: org }
          require: ["leave:read"]
          consistency: claims
        - name: me
          match: { prefix: /api/me }
          authenticated: true
      default: deny
      """;
  private static final Instant IAT = Instant.parse("2026-12-03T10:00:00Z");
  private static final String[] MEMBER_ROLES = {
    null, "viewer", "staff", "admin", "owner", "viewer,staff", "bogus", "", " owner"
  };
  private static final String[] PLATFORM_ROLES = {
    "user", "admin", "superadmin", "user,superadmin", "bogus"
  };
  private static final String[][] ROUTES = {
    {"POST", "/api/orgs/%s/leave/7/approve", "leave:approve"},
    {"GET", "/api/orgs/%s/leave", "leave:read"},
    {"GET", "/api/me", "auth"},
    {"GET", "/healthz", "public"},
    {"GET", "/api/orgs/%s/other", "none"},
    {"POST", "/api/orgs/%s/leave", "none"},
  };

  /** One scenario; the fakes are built from it. */
  record Scenario(
      String org,
      String memberRole,
      String platformRole,
      boolean banned,
      boolean userExists,
      String[] route,
      String token, // valid, invalid, absent
      String claimedOrg,
      String claimedRole,
      boolean revokedAfterMint) {
    @Override
    public String toString() {
      return "org=%s member=%s platform=%s banned=%s exists=%s route=%s %s token=%s claims=%s/%s revoked=%s"
          .formatted(
              org,
              memberRole,
              platformRole,
              banned,
              userExists,
              route[0],
              route[1],
              token,
              claimedOrg,
              claimedRole,
              revokedAfterMint);
    }
  }

  static Scenario scenario(Gen g) {
    String memberRole = g.oneOf(MEMBER_ROLES);
    boolean banned = g.nextInt(5) == 0;
    boolean stale = g.nextInt(4) == 0;
    String claimedOrg = g.oneOf("org1", "org2", null);
    // A fresh claim is what Better Auth minted from the row; a stale one may say anything.
    // A fresh claim is the row Better Auth minted it from (member of org1 only); a stale one may
    // say anything.
    String fresh = "org1".equals(claimedOrg) ? memberRole : null;
    String claimedRole = stale ? g.oneOf(MEMBER_ROLES) : fresh;
    boolean userExists = g.nextInt(10) != 0;
    return new Scenario(
        g.oneOf("org1", "org2"),
        memberRole,
        g.oneOf(PLATFORM_ROLES),
        banned,
        userExists,
        g.oneOf(ROUTES),
        g.oneOf("valid", "valid", "valid", "invalid", "absent"),
        claimedOrg,
        claimedRole,
        // A deletion removes the memberships, which publishes member.removed.
        stale || banned || !userExists);
  }

  /** The oracle, written from the contract without the pipeline's code. */
  static boolean mayAllow(Scenario s) {
    String need = s.route()[2];
    if (need.equals("public")) {
      return true;
    }
    if (need.equals("none") || !s.token().equals("valid") || !s.userExists() || s.banned()) {
      return false;
    }
    if (need.equals("auth")) {
      return true;
    }
    boolean memberHere = s.org().equals("org1") && s.memberRole() != null;
    List<String> roles = memberHere ? split(s.memberRole()) : List.of();
    return roles.stream().anyMatch(r -> memberGrants(r, need))
        || split(s.platformRole()).contains("superadmin");
  }

  private static boolean memberGrants(String role, String permission) {
    return switch (role) {
      case "owner" -> true;
      case "admin" -> permission.startsWith("leave:");
      case "staff" -> Set.of("leave:approve", "leave:read").contains(permission);
      case "viewer" -> permission.equals("leave:read");
      default -> false;
    };
  }

  private static List<String> split(String roles) {
    return roles == null
        ? List.of()
        : Arrays.stream(roles.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList();
  }

  private final AtomicInteger allows = new AtomicInteger();

  private Decision decide(Scenario s) throws Exception {
    Policy policy = PolicyLoader.parse(POLICY, "properties");
    AccessResolver resolver =
        new AccessResolver() {
          @Override
          public CompletionStage<Access> resolve(String user, Optional<String> org, Consistency c) {
            boolean here = org.isPresent() && org.get().equals("org1") && s.memberRole() != null;
            return CompletableFuture.completedFuture(
                new Access(
                    s.userExists(),
                    s.userExists() ? split(s.platformRole()) : List.of(),
                    s.banned(),
                    here && s.userExists() ? split(s.memberRole()) : List.of(),
                    Access.Tier.POSTGRES));
          }

          @Override
          public CompletionStage<Optional<String>> organizationIdBySlug(String slug) {
            return CompletableFuture.completedFuture(Optional.empty());
          }
        };
    RevocationLog revocations =
        new RevocationLog() {
          @Override
          public Optional<Instant> latestRevocation(String userId, String orgId) {
            return s.revokedAfterMint()
                ? Optional.of(IAT.plusSeconds(1))
                : Optional.of(IAT.minusSeconds(3600));
          }

          @Override
          public boolean claimsTrusted() {
            return true;
          }
        };
    Map<String, Object> claims = new HashMap<>();
    claims.put("banned", false);
    if (s.claimedOrg() != null) {
      claims.put("organizationId", s.claimedOrg());
    }
    if (s.claimedRole() != null) {
      claims.put("orgRole", s.claimedRole());
    }
    claims.put("role", s.platformRole());
    TokenResult valid =
        new TokenResult.Valid(
            new VerifiedToken("u1", IAT, IAT.plusSeconds(900), claims, VerifiedToken.Kind.JWT));
    Authenticator authenticator =
        request ->
            CompletableFuture.completedFuture(
                request
                    .header("authorization")
                    .map(
                        h ->
                            h.equals("Bearer good")
                                ? valid
                                : new TokenResult.Invalid(DenyReason.INVALID_SIGNATURE, "bad")));
    PipelineAuthorizer authorizer =
        new PipelineAuthorizer(
            new PipelineParts(
                () -> policy,
                authenticator,
                resolver,
                new ClaimsTier(revocations, "organizationId", "orgRole"),
                OrgRoles.NONE),
            DecisionObserver.NONE);
    Map<String, String> headers = new HashMap<>();
    if (!s.token().equals("absent")) {
      headers.put("authorization", s.token().equals("valid") ? "Bearer good" : "Bearer bad");
    }
    String path = s.route()[1].formatted(s.org());
    return authorizer
        .authorize(AccessRequest.of(s.route()[0], path, headers))
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  @Test
  void neverAllowsWhatTheOracleRefusesAndAllowsWhatItGrantsOnStrictRoutes() {
    Gen.check(
        20261203L,
        3000,
        DecisionProperties::scenario,
        s -> {
          Decision d;
          try {
            d = decide(s);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
          boolean allowed = d instanceof Decision.Allow;
          if (allowed) {
            allows.incrementAndGet();
            assertThat(mayAllow(s)).as("allowed against the oracle").isTrue();
          } else if (!s.route()[2].equals("leave:read")) {
            // Routes without the claims tier decide from the database answer alone: exact.
            assertThat(mayAllow(s)).as("denied although the oracle grants").isFalse();
          }
        });
    assertThat(allows.get()).as("the generator reaches allows").isGreaterThan(300);
  }
}
