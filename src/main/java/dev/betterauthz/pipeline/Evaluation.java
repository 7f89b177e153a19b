package dev.betterauthz.pipeline;

import static java.util.concurrent.CompletableFuture.completedFuture;

import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.decision.Identity;
import dev.betterauthz.policy.PermissionSet;
import dev.betterauthz.policy.Policy;
import dev.betterauthz.policy.RequestPaths;
import dev.betterauthz.policy.Route;
import dev.betterauthz.policy.RouteMatch;
import dev.betterauthz.policy.TenantSource;
import dev.betterauthz.tenancy.Access;
import dev.betterauthz.tenancy.Consistency;
import dev.betterauthz.token.TokenResult;
import dev.betterauthz.token.VerifiedToken;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One request's walk through the pipeline: route, credential, tenant, role, permission. Holds the
 * policy snapshot taken when the request arrived, so a reload never mixes two policies.
 */
final class Evaluation {
  static final String ROUTE_EXTENSION = "route";

  private final PipelineParts parts;
  private final Policy policy;
  private final AccessRequest request;
  private final DecisionTrace trace;
  private Optional<Route> route = Optional.empty();

  Evaluation(PipelineParts parts, AccessRequest request, DecisionTrace trace) {
    this.parts = parts;
    this.policy = parts.policy().get();
    this.request = request;
    this.trace = trace;
  }

  Optional<Route> route() {
    return route;
  }

  CompletionStage<Verdict> run() {
    Optional<String> path = RequestPaths.normalize(request.path());
    if (path.isEmpty()) {
      trace.step(
          "path: %s is ambiguous (see docs/path-normalization.md)", withoutQuery(request.path()));
      return done(DenyReason.AMBIGUOUS_PATH, false);
    }
    Optional<RouteMatch> match = selectRoute(path.get());
    if (match.isEmpty()) {
      trace.step(
          "route: none matches %s %s; default %s",
          request.method(), path.get(), policy.defaultAllow() ? "allow" : "deny");
      return policy.defaultAllow()
          ? completedFuture(Verdict.allow(Identity.ANONYMOUS))
          : done(DenyReason.NO_ROUTE, false);
    }
    Route r = match.get().route();
    route = Optional.of(r);
    trace.step("route: %s (%s)", r.name(), r.access().label());
    if (r.access() == Route.Access.PUBLIC) {
      return completedFuture(Verdict.allow(Identity.ANONYMOUS));
    }
    long start = System.nanoTime();
    return parts
        .authenticator()
        .authenticate(request)
        .thenCompose(
            result -> {
              trace.tokenNanos(System.nanoTime() - start);
              return afterCredential(match.get(), result);
            });
  }

  /** The query may carry secrets (tokens in links); traces never show it. */
  static String withoutQuery(String target) {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q) + "?…";
  }

  private Optional<RouteMatch> selectRoute(String path) {
    String named = request.contextExtensions().get(ROUTE_EXTENSION);
    if (named != null) {
      trace.step("route: selected by the gateway as '%s'", named);
      return policy.routes().matchRoute(named, request.method(), path);
    }
    return policy.routes().match(request.method(), path);
  }

  private CompletionStage<Verdict> afterCredential(RouteMatch match, Optional<TokenResult> result) {
    if (result.isEmpty()) {
      trace.step("credential: none");
      return done(DenyReason.MISSING_TOKEN, false);
    }
    if (result.get() instanceof TokenResult.Invalid invalid) {
      trace.step("credential: rejected (%s)", invalid.reason().code());
      return done(invalid.reason(), true);
    }
    VerifiedToken token = ((TokenResult.Valid) result.get()).token();
    if (!HeaderValues.isSafe(token.subject())) {
      trace.step("credential: subject is not a usable user id");
      return done(DenyReason.MALFORMED_TOKEN, true);
    }
    trace.user(token.subject());
    trace.step(
        "credential: %s for user %s, valid until %s",
        token.kind(), token.subject(), token.expiresAt());
    Optional<TenantSource> tenant = match.route().tenant();
    if (tenant.isEmpty()) {
      trace.step("tenant: none (the route names no organization)");
      return withAccess(match.route(), token, Optional.empty());
    }
    Optional<String> value = tenantValue(tenant.get(), match, token);
    if (value.isEmpty()) {
      trace.step("tenant: missing or unusable (%s %s)", tenant.get().kind(), tenant.get().name());
      return done(DenyReason.MISSING_TENANT, true, Identity.ANONYMOUS);
    }
    if (!tenant.get().bySlug()) {
      trace.step(
          "tenant: organization %s (from %s '%s')",
          value.get(),
          tenant.get().kind().name().toLowerCase(java.util.Locale.ROOT),
          tenant.get().name());
      return withAccess(match.route(), token, value);
    }
    return parts
        .resolver()
        .organizationIdBySlug(value.get())
        .thenCompose(
            id -> {
              if (id.isEmpty()) {
                // NOTE: an unknown slug is answered exactly like "not a member" so a deny never
                // reveals
                // whether an organization exists.
                trace.step("tenant: slug '%s' resolves to no organization", value.get());
                return done(DenyReason.NOT_MEMBER, true, identity(token, Optional.empty(), null));
              }
              trace.step("tenant: slug '%s' is organization %s", value.get(), id.get());
              return withAccess(match.route(), token, id);
            });
  }

  private Optional<String> tenantValue(TenantSource source, RouteMatch match, VerifiedToken token) {
    Optional<String> raw =
        switch (source.kind()) {
          case PATH -> Optional.ofNullable(match.pathParams().get(source.name()));
          case HEADER -> request.header(source.name());
          case CLAIM -> token.stringClaim(source.name());
        };
    // A comma means the header was sent more than once (Envoy joins repeats): ambiguous.
    return raw.filter(v -> HeaderValues.isSafe(v) && v.indexOf(',') < 0);
  }

  private CompletionStage<Verdict> withAccess(
      Route r, VerifiedToken token, Optional<String> orgId) {
    orgId.ifPresent(trace::org);
    if (r.consistency() == Consistency.CLAIMS && orgId.isPresent()) {
      Optional<Access> fromClaims = parts.claims().access(token, orgId.get());
      if (fromClaims.isPresent()) {
        return judge(r, token, orgId, fromClaims.get());
      }
      trace.step("role: claims not usable here (other organization, no role claim, or revoked)");
    }
    Consistency consistency =
        r.consistency() == Consistency.STRONG ? Consistency.STRONG : Consistency.CACHED;
    long start = System.nanoTime();
    return parts
        .resolver()
        .resolve(token.subject(), orgId, consistency)
        .thenCompose(
            access -> {
              trace.accessNanos(System.nanoTime() - start);
              return judge(r, token, orgId, access);
            });
  }

  private CompletionStage<Verdict> judge(
      Route r, VerifiedToken token, Optional<String> orgId, Access access) {
    trace.tier(access.tier());
    trace.step(
        "role: tier %s: member roles %s, platform roles %s%s",
        access.tier(),
        access.memberRoles(),
        access.platformRoles(),
        access.banned() ? ", BANNED" : "");
    Identity identity = identity(token, orgId, access);
    if (!access.userExists()) {
      return done(DenyReason.UNKNOWN_USER, true, identity);
    }
    if (access.banned()) {
      return done(DenyReason.USER_BANNED, true, identity);
    }
    PermissionSet platform = policy.platformPermissions(access.platformRoles());
    PermissionSet member = policy.memberPermissions(access.memberRoles());
    if (orgId.isEmpty() || !access.isMember()) {
      return completedFuture(permit(r, orgId, access, platform, identity));
    }
    return parts
        .orgRoles()
        .permissions(orgId.get(), access.memberRoles())
        .thenApply(
            dynamic -> permit(r, orgId, access, platform.union(member).union(dynamic), identity));
  }

  private Verdict permit(
      Route r, Optional<String> orgId, Access access, PermissionSet granted, Identity identity) {
    trace.step("permissions: granted %s, route requires %s", granted, r.require());
    boolean scopedOk = orgId.isEmpty() || access.isMember() || !granted.isEmpty();
    if (r.access() == Route.Access.AUTHENTICATED) {
      return scopedOk
          ? Verdict.allow(identity)
          : Verdict.deny(DenyReason.NOT_MEMBER, identity, true);
    }
    if (granted.grantsAll(r.require())) {
      return Verdict.allow(identity);
    }
    boolean member = orgId.isEmpty() || access.isMember();
    return Verdict.deny(
        member ? DenyReason.MISSING_PERMISSION : DenyReason.NOT_MEMBER, identity, true);
  }

  private static Identity identity(VerifiedToken token, Optional<String> orgId, Access access) {
    if (access == null) {
      return new Identity(Optional.of(token.subject()), orgId, List.of(), List.of());
    }
    return new Identity(
        Optional.of(token.subject()), orgId, access.memberRoles(), access.platformRoles());
  }

  private CompletionStage<Verdict> done(DenyReason reason, boolean tokenPresented) {
    return done(reason, tokenPresented, Identity.ANONYMOUS);
  }

  private CompletionStage<Verdict> done(DenyReason reason, boolean tokenPresented, Identity who) {
    return completedFuture(Verdict.deny(reason, who, tokenPresented));
  }
}
