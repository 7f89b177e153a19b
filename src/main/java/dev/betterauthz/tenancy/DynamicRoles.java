package dev.betterauthz.tenancy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Per-organization roles defined at run time through Better Auth's dynamic access control (the
 * {@code organization_roles} table). Only deployments that enable dynamic access control have the
 * table, so the feature is switched on explicitly; {@link #none()} is the switched-off source.
 * Thread-safe.
 */
public interface DynamicRoles {

  /**
   * The organization's dynamic roles: role name to its grants as {@code resource:action} strings.
   * Better Auth unions a dynamic role with the static role of the same name; callers do the same.
   * Completes exceptionally with {@link BackendUnavailableException} when the store cannot answer.
   */
  CompletionStage<Map<String, List<String>>> rolesOf(String orgId);

  /** The source used when dynamic access control is off: every organization has none. */
  static DynamicRoles none() {
    return orgId -> java.util.concurrent.CompletableFuture.completedFuture(Map.of());
  }
}
