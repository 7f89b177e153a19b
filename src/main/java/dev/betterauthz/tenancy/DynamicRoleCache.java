package dev.betterauthz.tenancy;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Caches each organization's dynamic roles ({@code organization_roles}) in process; evicted by
 * {@code organization.role.changed} and {@code organization.deleted} events, and expired after a
 * TTL as a safety net. Concurrent misses for one organization share one query. Thread-safe.
 */
public final class DynamicRoleCache implements DynamicRoles {
  private final AsyncLoadingCache<String, Map<String, List<String>>> cache;

  public DynamicRoleCache(DynamicRoles source, Duration ttl, long maxOrganizations) {
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxOrganizations)
            .expireAfterWrite(ttl)
            .buildAsync((orgId, executor) -> source.rolesOf(orgId).toCompletableFuture());
  }

  @Override
  public CompletionStage<Map<String, List<String>>> rolesOf(String orgId) {
    CompletableFuture<Map<String, List<String>>> roles = cache.get(orgId);
    return roles;
  }

  /** Forgets an organization's roles (its dynamic roles changed, or it was deleted). */
  public void evict(String orgId) {
    cache.synchronous().invalidate(orgId);
  }

  public void evictAll() {
    cache.synchronous().invalidateAll();
  }
}
