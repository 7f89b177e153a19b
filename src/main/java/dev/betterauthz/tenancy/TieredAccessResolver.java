package dev.betterauthz.tenancy;

import dev.betterauthz.tenancy.CacheCoherence.Stamp;
import dev.betterauthz.tenancy.RedisAccessValues.Stored;
import dev.betterauthz.tenancy.SingleFlight.Flight;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@link AccessResolver} over the cache tiers: in-process, then Redis, then the authoritative
 * repository, with concurrent repository loads of one key coalesced. {@link Consistency#STRONG}
 * always reads the repository (and refreshes the caches). Every write-back goes through {@link
 * CacheCoherence}, so a fill that began before an invalidation is never stored. An in-process hit
 * completes synchronously without IO. Redis failures are misses; a repository failure with no
 * usable cached answer completes the stage exceptionally with {@link BackendUnavailableException}.
 * Thread-safe.
 */
public final class TieredAccessResolver implements AccessResolver {
  private final LocalAccessCache local;
  private final Optional<RedisAccessCache> redis;
  private final AccessRepository repository;
  private final CacheCoherence coherence;
  private final CacheTtls ttls;
  private final Clock clock;
  private final CacheStats stats = new CacheStats();
  private final SingleFlight<AccessKey, Stamp, Access> flights = new SingleFlight<>();

  public TieredAccessResolver(
      LocalAccessCache local,
      Optional<RedisAccessCache> redis,
      AccessRepository repository,
      CacheCoherence coherence,
      CacheTtls ttls,
      Clock clock) {
    this.local = Objects.requireNonNull(local, "local");
    this.redis = Objects.requireNonNull(redis, "redis");
    this.repository = Objects.requireNonNull(repository, "repository");
    this.coherence = Objects.requireNonNull(coherence, "coherence");
    this.ttls = Objects.requireNonNull(ttls, "ttls");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public CompletionStage<Access> resolve(
      String userId, Optional<String> orgId, Consistency consistency) {
    AccessKey key = new AccessKey(userId, orgId);
    if (consistency == Consistency.STRONG) {
      return loadDirect(key);
    }
    Optional<Access> hit = local.get(key, clock.instant(), maxAge());
    if (hit.isPresent()) {
      stats.localHits.incrementAndGet();
      return CompletableFuture.completedFuture(hit.get());
    }
    stats.localMisses.incrementAndGet();
    Stamp stamp = coherence.begin();
    if (redis.isEmpty()) {
      return loadShared(key, stamp);
    }
    return redis.get().get(key).thenCompose(stored -> fromRedis(key, stamp, stored));
  }

  private CompletionStage<Access> fromRedis(AccessKey key, Stamp stamp, Optional<Stored> stored) {
    Instant now = clock.instant();
    Optional<Duration> maxAge = maxAge();
    Optional<Stored> usable =
        stored.filter(s -> maxAge.isEmpty() || now.isBefore(s.storedAt().plus(maxAge.get())));
    if (usable.isEmpty()) {
      stats.redisMisses.incrementAndGet();
      return loadShared(key, stamp);
    }
    stats.redisHits.incrementAndGet();
    Access access = usable.get().access();
    boolean live = coherence.eventsLive();
    boolean copied =
        coherence.writeIfUnchanged(
            key, stamp, () -> local.put(key, local(access), now, ttls.localFor(key, access, live)));
    if (!copied) {
      stats.staleWritesSkipped.incrementAndGet();
    }
    return CompletableFuture.completedFuture(access);
  }

  private CompletionStage<Access> loadShared(AccessKey key, Stamp stamp) {
    Flight<Stamp, Access> flight =
        flights.run(
            key,
            stamp,
            started -> coherence.unchangedSince(key, started),
            () -> {
              stats.repositoryLoads.incrementAndGet();
              return repository.load(key.userId(), key.orgId());
            });
    if (flight.joined()) {
      stats.repositoryCoalesced.incrementAndGet();
    }
    return settle(key, flight.start(), flight.result(), !flight.joined());
  }

  private CompletionStage<Access> loadDirect(AccessKey key) {
    Stamp stamp = coherence.begin();
    stats.repositoryLoads.incrementAndGet();
    CompletionStage<Access> load;
    try {
      load = repository.load(key.userId(), key.orgId());
    } catch (RuntimeException e) {
      load = CompletableFuture.failedFuture(e);
    }
    return settle(key, stamp, load, true);
  }

  private CompletionStage<Access> settle(
      AccessKey key, Stamp stamp, CompletionStage<Access> load, boolean writeBack) {
    return load.handle(
            (access, error) -> {
              if (error != null) {
                if (writeBack) {
                  stats.repositoryErrors.incrementAndGet();
                }
                return CompletableFuture.<Access>failedFuture(unavailable(error));
              }
              if (writeBack) {
                store(key, stamp, access);
              }
              return CompletableFuture.completedFuture(access);
            })
        .thenCompose(stage -> stage);
  }

  private void store(AccessKey key, Stamp stamp, Access access) {
    Instant now = clock.instant();
    boolean live = coherence.eventsLive();
    boolean written =
        coherence.writeIfUnchanged(
            key,
            stamp,
            () -> {
              local.put(key, local(access), now, ttls.localFor(key, access, live));
              redis.ifPresent(r -> r.put(key, access, ttls.redisFor(key, access, live)));
            });
    if (!written) {
      stats.staleWritesSkipped.incrementAndGet();
    }
  }

  @Override
  public CompletionStage<Optional<String>> organizationIdBySlug(String slug) {
    Instant now = clock.instant();
    Optional<String> hit = local.organizationIdBySlug(slug, now);
    if (hit.isPresent()) {
      return CompletableFuture.completedFuture(hit);
    }
    Stamp stamp = coherence.begin();
    CompletionStage<Optional<String>> load;
    try {
      load = repository.organizationIdBySlug(slug);
    } catch (RuntimeException e) {
      load = CompletableFuture.failedFuture(e);
    }
    return load.handle(
            (found, error) -> {
              if (error != null) {
                return CompletableFuture.<Optional<String>>failedFuture(unavailable(error));
              }
              Duration ttl = ttls.slugFor(coherence.eventsLive());
              found.ifPresent(
                  id ->
                      coherence.writeIfOrganizationUnchanged(
                          id, stamp, () -> local.putSlug(slug, id, now, ttl)));
              return CompletableFuture.completedFuture(found);
            })
        .thenCompose(stage -> stage);
  }

  /** Counters of this resolver's tiers. */
  public CacheStats.Snapshot stats() {
    return stats.snapshot();
  }

  private Optional<Duration> maxAge() {
    return coherence.eventsLive() ? Optional.empty() : Optional.of(ttls.degraded());
  }

  private static Access local(Access access) {
    return access.withTier(Access.Tier.LOCAL);
  }

  private static BackendUnavailableException unavailable(Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof BackendUnavailableException b
        ? b
        : new BackendUnavailableException("authoritative tier failed", cause);
  }
}
