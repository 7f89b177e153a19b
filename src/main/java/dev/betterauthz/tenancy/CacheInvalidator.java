package dev.betterauthz.tenancy;

import dev.betterauthz.tenancy.invalidation.InvalidationEvent;
import dev.betterauthz.tenancy.invalidation.InvalidationTarget;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Applies invalidation events to the tiers, in this order: (1) record the revocation time for the
 * claims tier; (2) bump the generation and evict the in-process entries, so fills in flight cannot
 * write back; (3) tombstone the Redis keys; (4) when Redis has answered, bump and evict in-process
 * again, which drops anything a concurrent resolve copied from Redis before the tombstone landed.
 * When events resume after an interruption, every in-process entry and (unless JetStream replays
 * what was missed) every {@code perm:} key is dropped before events and claims are trusted again.
 * Thread-safe.
 */
public final class CacheInvalidator implements InvalidationTarget {
  private final CacheCoherence coherence;
  private final LocalAccessCache local;
  private final Optional<RedisAccessCache> redis;
  private final EventRevocationLog revocations;

  public CacheInvalidator(
      CacheCoherence coherence,
      LocalAccessCache local,
      Optional<RedisAccessCache> redis,
      EventRevocationLog revocations) {
    this.coherence = Objects.requireNonNull(coherence, "coherence");
    this.local = Objects.requireNonNull(local, "local");
    this.redis = Objects.requireNonNull(redis, "redis");
    this.revocations = Objects.requireNonNull(revocations, "revocations");
  }

  @Override
  public CompletionStage<Void> apply(InvalidationEvent event) {
    return switch (event.kind().scope()) {
      case MEMBERSHIP -> membership(event);
      case USER -> user(event);
      case ORGANIZATION -> organization(event);
      case FORWARDED -> CompletableFuture.completedFuture(null);
    };
  }

  private CompletionStage<Void> membership(InvalidationEvent event) {
    AccessKey key = AccessKey.of(event.user(), event.organization());
    revocations.recordMembership(event.user(), event.organization(), event.receivedAt());
    Runnable evict = () -> coherence.invalidateKey(key, () -> local.invalidate(key));
    return twice(evict, r -> r.tombstone(key));
  }

  private CompletionStage<Void> user(InvalidationEvent event) {
    String userId = event.user();
    revocations.recordUser(userId, event.receivedAt());
    Runnable evict = () -> coherence.invalidateUser(userId, () -> local.invalidateUser(userId));
    return twice(evict, r -> r.evictUser(userId));
  }

  private CompletionStage<Void> organization(InvalidationEvent event) {
    String orgId = event.organization();
    revocations.recordOrganization(orgId, event.receivedAt());
    Runnable evict =
        () -> coherence.invalidateOrganization(orgId, () -> local.invalidateOrganization(orgId));
    return twice(evict, r -> r.evictOrganization(orgId));
  }

  private CompletionStage<Void> twice(
      Runnable evictLocal, Function<RedisAccessCache, CompletionStage<Void>> evictRedis) {
    evictLocal.run();
    if (redis.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return evictRedis
        .apply(redis.get())
        .handle(
            (ok, error) -> {
              evictLocal.run();
              return null;
            });
  }

  @Override
  public void eventsInterrupted() {
    coherence.eventsLive(false);
    revocations.claimsTrusted(false);
  }

  @Override
  public CompletionStage<Void> eventsRestored(boolean replayed) {
    coherence.invalidateAll(local::invalidateAll);
    CompletionStage<Void> swept =
        redis
            .filter(r -> !replayed)
            .map(RedisAccessCache::evictAll)
            .orElse(CompletableFuture.completedFuture(null));
    return swept.handle(
        (ok, error) -> {
          coherence.invalidateAll(local::invalidateAll);
          coherence.eventsLive(true);
          revocations.claimsTrusted(true);
          return null;
        });
  }
}
