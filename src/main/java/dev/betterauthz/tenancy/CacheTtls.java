package dev.betterauthz.tenancy;

import dev.betterauthz.config.AppConfig.CacheConfig;
import dev.betterauthz.config.AppConfig.RedisConfig;
import java.time.Duration;

/**
 * How long answers live in each tier. Negative answers (unknown user, or not a member of the
 * requested organization) use {@code negative}; while events are not flowing every TTL is capped by
 * {@code degraded}.
 *
 * @param local in-process TTL of a positive answer
 * @param redis Redis TTL of a positive answer ({@code AUTHZ_PERM_CACHE_TTL})
 * @param negative TTL of a negative answer in both tiers
 * @param degraded cap on every TTL (and on the age of a usable entry) while events are not flowing
 */
public record CacheTtls(Duration local, Duration redis, Duration negative, Duration degraded) {

  public static CacheTtls from(CacheConfig cache, RedisConfig redis) {
    return new CacheTtls(
        cache.localTtl(), redis.permTtl(), redis.negativeTtl(), cache.degradedTtl());
  }

  Duration localFor(AccessKey key, Access access, boolean eventsLive) {
    return cap(negative(key, access) ? min(local, negative) : local, eventsLive);
  }

  Duration redisFor(AccessKey key, Access access, boolean eventsLive) {
    return cap(negative(key, access) ? negative : redis, eventsLive);
  }

  Duration slugFor(boolean eventsLive) {
    return cap(local, eventsLive);
  }

  private Duration cap(Duration ttl, boolean eventsLive) {
    return eventsLive ? ttl : min(ttl, degraded);
  }

  /** An unknown user, or a user who is not a member of the organization asked about. */
  static boolean negative(AccessKey key, Access access) {
    return !access.userExists() || (key.orgId().isPresent() && !access.isMember());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
