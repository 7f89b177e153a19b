package dev.betterauthz.tenancy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BinaryOperator;

/**
 * The {@link RevocationLog} fed by invalidation events. Remembers the latest revocation per (user,
 * organization), per user and per organization for {@code retention} (longer than any token's
 * lifetime) and at most {@code maxEntries} of each. Forgetting is safe: whatever falls out of the
 * maps before being explicitly replaced raises a floor, and every pair is treated as revoked at
 * that floor — tokens older than it lose the claims tier, never the other way round. Starts
 * untrusted until the listener confirms its subscriptions. Thread-safe.
 */
public final class EventRevocationLog implements RevocationLog {
  private static final BinaryOperator<Instant> LATER = (a, b) -> a.isAfter(b) ? a : b;

  private final AtomicReference<Instant> floor = new AtomicReference<>(Instant.EPOCH);
  private final Cache<String, Instant> pairs;
  private final Cache<String, Instant> users;
  private final Cache<String, Instant> organizations;
  private volatile boolean trusted;

  public EventRevocationLog(Duration retention, long maxEntries) {
    this.pairs = map(retention, maxEntries);
    this.users = map(retention, maxEntries);
    this.organizations = map(retention, maxEntries);
  }

  private Cache<String, Instant> map(Duration retention, long maxEntries) {
    return Caffeine.newBuilder()
        .expireAfterWrite(retention)
        .maximumSize(maxEntries)
        .executor(Runnable::run)
        .<String, Instant>removalListener(
            (key, at, cause) -> {
              if (at != null && cause != RemovalCause.REPLACED && cause != RemovalCause.EXPLICIT) {
                floor.accumulateAndGet(at, LATER);
              }
            })
        .build();
  }

  /** Records a membership event for ({@code userId}, {@code orgId}). */
  public void recordMembership(String userId, String orgId, Instant at) {
    pairs.asMap().merge(userId + "\u0000" + orgId, at, LATER);
  }

  /** Records a user-wide event (ban, platform role change). */
  public void recordUser(String userId, Instant at) {
    users.asMap().merge(userId, at, LATER);
  }

  /** Records an organization-wide event (deletion). */
  public void recordOrganization(String orgId, Instant at) {
    organizations.asMap().merge(orgId, at, LATER);
  }

  @Override
  public Optional<Instant> latestRevocation(String userId, String orgId) {
    Instant latest = floor.get();
    latest = later(latest, pairs.getIfPresent(userId + "\u0000" + orgId));
    latest = later(latest, users.getIfPresent(userId));
    latest = later(latest, organizations.getIfPresent(orgId));
    return Instant.EPOCH.equals(latest) ? Optional.empty() : Optional.of(latest);
  }

  private static Instant later(Instant a, Instant b) {
    return b == null ? a : LATER.apply(a, b);
  }

  @Override
  public boolean claimsTrusted() {
    return trusted;
  }

  /** Set by the invalidation wiring: true only while events are known to be flowing. */
  public void claimsTrusted(boolean value) {
    this.trusted = value;
  }
}
