package dev.betterauthz.pipeline;

import dev.betterauthz.policy.PermissionSet;
import java.util.Collection;
import java.util.concurrent.CompletionStage;

/**
 * Per-organization roles (Better Auth dynamic access control): the permissions that {@code roles}
 * grant in {@code orgId} beyond the policy file. {@link #NONE} when the feature is off.
 */
@FunctionalInterface
public interface OrgRoles {
  OrgRoles NONE =
      (orgId, roles) -> java.util.concurrent.CompletableFuture.completedFuture(PermissionSet.EMPTY);

  CompletionStage<PermissionSet> permissions(String orgId, Collection<String> roles);
}
