package dev.betterauthz.tenancy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the role-resolution tiers, for metrics and tests. Monotonic; thread-safe. {@link
 * #snapshot()} gives a consistent-enough copy for reporting.
 */
public final class CacheStats {
  final AtomicLong localHits = new AtomicLong();
  final AtomicLong localMisses = new AtomicLong();
  final AtomicLong redisHits = new AtomicLong();
  final AtomicLong redisMisses = new AtomicLong();
  final AtomicLong repositoryLoads = new AtomicLong();
  final AtomicLong repositoryCoalesced = new AtomicLong();
  final AtomicLong repositoryErrors = new AtomicLong();
  final AtomicLong staleWritesSkipped = new AtomicLong();

  /** A copy of every counter. */
  public Snapshot snapshot() {
    return new Snapshot(
        localHits.get(),
        localMisses.get(),
        redisHits.get(),
        redisMisses.get(),
        repositoryLoads.get(),
        repositoryCoalesced.get(),
        repositoryErrors.get(),
        staleWritesSkipped.get());
  }

  /**
   * Counter values at one moment.
   *
   * @param repositoryLoads queries actually sent to the authoritative tier
   * @param repositoryCoalesced lookups that joined a query already in flight
   * @param staleWritesSkipped fills not written back because an invalidation won
   */
  public record Snapshot(
      long localHits,
      long localMisses,
      long redisHits,
      long redisMisses,
      long repositoryLoads,
      long repositoryCoalesced,
      long repositoryErrors,
      long staleWritesSkipped) {}
}
