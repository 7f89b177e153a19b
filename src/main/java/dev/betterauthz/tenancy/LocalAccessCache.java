package dev.betterauthz.tenancy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.betterauthz.config.AppConfig.CacheConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The in-process tier: a bounded Caffeine map from {@link AccessKey} to answers, each with its own
 * time to live, plus a small slug-to-organization map. Lookups never block and do no IO. Writes go
 * through {@link CacheCoherence} (the resolver calls {@link #put} only inside a guarded
 * write-back); evictions by user or organization scan the keys, which is bounded by {@code
 * localMaxEntries} and happens only on events. When disabled ({@code localEnabled=false}) it holds
 * nothing. Thread-safe.
 */
public final class LocalAccessCache {
  private final Cache<AccessKey, Entry> entries;
  private final Cache<String, Entry> slugs;
  private final boolean enabled;

  public LocalAccessCache(CacheConfig config) {
    Objects.requireNonNull(config, "config");
    this.enabled = config.localEnabled() && config.localMaxEntries() > 0;
    this.entries =
        Caffeine.newBuilder()
            .maximumSize(Math.max(1, config.localMaxEntries()))
            .expireAfter(new EntryExpiry<AccessKey>())
            .build();
    this.slugs =
        Caffeine.newBuilder()
            .maximumSize(Math.max(1, config.localMaxEntries() / 10))
            .expireAfter(new EntryExpiry<String>())
            .build();
  }

  /**
   * The cached answer, if it is still within its TTL at {@code now} and, when {@code maxAge} is
   * present, was stored no longer than {@code maxAge} ago.
   */
  public Optional<Access> get(AccessKey key, Instant now, Optional<Duration> maxAge) {
    if (!enabled) {
      return Optional.empty();
    }
    Entry entry = entries.getIfPresent(key);
    if (entry == null || !entry.usableAt(now, maxAge)) {
      return Optional.empty();
    }
    return Optional.of(entry.access());
  }

  /** Stores an answer for {@code ttl} from {@code now}. Call inside a guarded write-back. */
  public void put(AccessKey key, Access access, Instant now, Duration ttl) {
    if (enabled && !ttl.isNegative() && !ttl.isZero()) {
      entries.put(key, new Entry(access, null, now, now.plus(ttl)));
    }
  }

  public void invalidate(AccessKey key) {
    entries.invalidate(key);
  }

  /** Evicts every entry of {@code userId}, whatever the organization. */
  public void invalidateUser(String userId) {
    entries.asMap().keySet().removeIf(k -> k.userId().equals(userId));
  }

  /** Evicts every entry about {@code orgId} and every slug that points at it. */
  public void invalidateOrganization(String orgId) {
    entries.asMap().keySet().removeIf(k -> k.isAbout(orgId));
    slugs.asMap().values().removeIf(e -> orgId.equals(e.orgId()));
  }

  public void invalidateAll() {
    entries.invalidateAll();
    slugs.invalidateAll();
  }

  /** The organization id cached for {@code slug}, if still within its TTL. */
  public Optional<String> organizationIdBySlug(String slug, Instant now) {
    Entry entry = enabled ? slugs.getIfPresent(slug) : null;
    if (entry == null || !entry.usableAt(now, Optional.empty())) {
      return Optional.empty();
    }
    return Optional.of(entry.orgId());
  }

  /** Caches an existing organization's slug. Call inside a guarded write-back. */
  public void putSlug(String slug, String orgId, Instant now, Duration ttl) {
    if (enabled && !ttl.isNegative() && !ttl.isZero()) {
      slugs.put(slug, new Entry(null, orgId, now, now.plus(ttl)));
    }
  }

  /** Number of cached answers (approximate). */
  public long size() {
    return entries.estimatedSize();
  }

  private record Entry(Access access, String orgId, Instant storedAt, Instant expiresAt) {
    boolean usableAt(Instant now, Optional<Duration> maxAge) {
      if (!now.isBefore(expiresAt)) {
        return false;
      }
      return maxAge.isEmpty() || now.isBefore(storedAt.plus(maxAge.get()));
    }
  }

  /** Lets Caffeine drop entries at their own TTL (the clock check above is authoritative). */
  private static final class EntryExpiry<K> implements Expiry<K, Entry> {
    @Override
    public long expireAfterCreate(K key, Entry value, long currentTime) {
      return Math.max(0, Duration.between(value.storedAt(), value.expiresAt()).toNanos());
    }

    @Override
    public long expireAfterUpdate(K key, Entry value, long currentTime, long currentDuration) {
      return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(K key, Entry value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
