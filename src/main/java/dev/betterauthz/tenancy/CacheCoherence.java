package dev.betterauthz.tenancy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Generations that keep cache fills from writing back data older than an invalidation, plus the
 * state of the event stream. A fill takes a {@link #begin() stamp} before it reads a lower tier and
 * may write back only through {@link #writeIfUnchanged}, which runs the write only when no
 * invalidation of that key (by key, by user, by organization, or a full clear) happened since the
 * stamp. Invalidations run under the exclusive lock, write-backs under the shared lock, so a check
 * and its write are never split by an eviction.
 *
 * <p>Generations are remembered for {@code horizon}; a fill older than the horizon is never written
 * back, so forgetting older generations is safe. Thread-safe.
 */
public final class CacheCoherence {
  private final AtomicLong sequence = new AtomicLong();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Cache<String, Long> generations;
  private final Duration horizon;
  private volatile long clearedAt;
  private volatile boolean eventsLive;

  /**
   * @param horizon how long generations are remembered; fills that take longer are discarded
   * @param eventsLive whether invalidation events are flowing at construction
   */
  public CacheCoherence(Duration horizon, boolean eventsLive) {
    this.horizon = horizon;
    this.eventsLive = eventsLive;
    this.generations = Caffeine.newBuilder().expireAfterWrite(horizon.multipliedBy(2)).build();
  }

  /** A stamp for a fill that is about to read a lower tier. */
  public Stamp begin() {
    return new Stamp(sequence.get(), System.nanoTime());
  }

  /** Whether no invalidation concerning {@code key} happened after {@code stamp}. */
  public boolean unchangedSince(AccessKey key, Stamp stamp) {
    if (System.nanoTime() - stamp.startedNanos() > horizon.toNanos()) {
      return false;
    }
    long last = clearedAt;
    last = Math.max(last, generation("k:" + key.redisKey()));
    last = Math.max(last, generation("u:" + key.userId()));
    if (key.orgId().isPresent()) {
      last = Math.max(last, generation("o:" + key.orgId().get()));
    }
    return last <= stamp.sequence();
  }

  /** Runs {@code write} only when {@code key} was not invalidated since {@code stamp}. */
  public boolean writeIfUnchanged(AccessKey key, Stamp stamp, Runnable write) {
    lock.readLock().lock();
    try {
      if (!unchangedSince(key, stamp)) {
        return false;
      }
      write.run();
      return true;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Runs {@code write} only when organization {@code orgId} was not invalidated since {@code
   * stamp}.
   */
  public boolean writeIfOrganizationUnchanged(String orgId, Stamp stamp, Runnable write) {
    lock.readLock().lock();
    try {
      boolean fresh =
          System.nanoTime() - stamp.startedNanos() <= horizon.toNanos()
              && Math.max(clearedAt, generation("o:" + orgId)) <= stamp.sequence();
      if (fresh) {
        write.run();
      }
      return fresh;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Bumps the generation of one key, then runs {@code evict}, atomically for write-backs. */
  public void invalidateKey(AccessKey key, Runnable evict) {
    invalidate(Optional.of("k:" + key.redisKey()), evict);
  }

  /** Bumps the generation of every key of {@code userId}, then runs {@code evict}. */
  public void invalidateUser(String userId, Runnable evict) {
    invalidate(Optional.of("u:" + userId), evict);
  }

  /** Bumps the generation of every key of {@code orgId}, then runs {@code evict}. */
  public void invalidateOrganization(String orgId, Runnable evict) {
    invalidate(Optional.of("o:" + orgId), evict);
  }

  /** Bumps the generation of every key, then runs {@code evict}. */
  public void invalidateAll(Runnable evict) {
    invalidate(Optional.empty(), evict);
  }

  private void invalidate(Optional<String> scope, Runnable evict) {
    lock.writeLock().lock();
    try {
      long next = sequence.incrementAndGet();
      if (scope.isPresent()) {
        generations.put(scope.get(), next);
      } else {
        clearedAt = next;
      }
      evict.run();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private long generation(String scope) {
    Long value = generations.getIfPresent(scope);
    return value == null ? 0 : value;
  }

  /** Whether invalidation events are flowing (false: caches use the degraded TTL). */
  public boolean eventsLive() {
    return eventsLive;
  }

  public void eventsLive(boolean live) {
    this.eventsLive = live;
  }

  /**
   * The moment a fill started.
   *
   * @param sequence the invalidation sequence seen before the read
   * @param startedNanos {@link System#nanoTime()} at the start, to enforce the horizon
   */
  public record Stamp(long sequence, long startedNanos) {}
}
