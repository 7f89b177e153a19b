package dev.betterauthz.pipeline;

import dev.betterauthz.policy.Policy;
import dev.betterauthz.tenancy.AccessResolver;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The stages a {@link PipelineAuthorizer} chains, built once at start.
 *
 * @param policy the current policy (swapped atomically on reload)
 * @param authenticator finds and verifies the caller's credential
 * @param resolver the role tiers below the claims tier
 * @param claims the claims tier
 * @param orgRoles per-organization roles, or {@link OrgRoles#NONE}
 */
public record PipelineParts(
    Supplier<Policy> policy,
    Authenticator authenticator,
    AccessResolver resolver,
    ClaimsTier claims,
    OrgRoles orgRoles) {
  public PipelineParts {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(authenticator, "authenticator");
    Objects.requireNonNull(resolver, "resolver");
    Objects.requireNonNull(claims, "claims");
    Objects.requireNonNull(orgRoles, "orgRoles");
  }
}
