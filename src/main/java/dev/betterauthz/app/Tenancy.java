package dev.betterauthz.app;

import dev.betterauthz.config.AppConfig;
import dev.betterauthz.pipeline.OrgRoles;
import dev.betterauthz.policy.PermissionSet;
import dev.betterauthz.tenancy.CacheCoherence;
import dev.betterauthz.tenancy.CacheInvalidator;
import dev.betterauthz.tenancy.CacheTtls;
import dev.betterauthz.tenancy.DynamicRoleCache;
import dev.betterauthz.tenancy.DynamicRoles;
import dev.betterauthz.tenancy.EventRevocationLog;
import dev.betterauthz.tenancy.LocalAccessCache;
import dev.betterauthz.tenancy.PgAccessRepository;
import dev.betterauthz.tenancy.PgDynamicRoleRepository;
import dev.betterauthz.tenancy.RedisAccessCache;
import dev.betterauthz.tenancy.TieredAccessResolver;
import dev.betterauthz.tenancy.invalidation.EventKind;
import dev.betterauthz.tenancy.invalidation.NatsInvalidationListener;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The role tiers and their invalidation: in-process and Redis caches over the read-only PostgreSQL
 * repository, the revocation log for the claims tier, per-organization dynamic roles, and the NATS
 * listener that keeps all of them fresh.
 */
final class Tenancy implements AutoCloseable {
  /** Fills older than this are never written back; must exceed the database timeout. */
  static final Duration MIN_COHERENCE_HORIZON = Duration.ofSeconds(30);

  final TieredAccessResolver resolver;
  final EventRevocationLog revocations;
  final OrgRoles orgRoles;
  final Optional<RedisAccessCache> redis;
  final Optional<NatsInvalidationListener> nats;
  private final Optional<DynamicRoleCache> dynamicRoles;

  Tenancy(AppConfig config, Backends backends, Clock clock) {
    LocalAccessCache local = new LocalAccessCache(config.cache());
    this.redis =
        backends.redis.map(api -> new RedisAccessCache(backends.vertx, api, config.redis(), clock));
    // Readiness reports Redis from calls; a periodic PING keeps that true without traffic.
    redis.ifPresent(
        r -> backends.vertx.setPeriodic(Backends.PROBE_INTERVAL.toMillis(), id -> r.probe()));
    Duration horizon = max(MIN_COHERENCE_HORIZON, config.database().queryTimeout().multipliedBy(4));
    CacheCoherence coherence = new CacheCoherence(horizon, false);
    PgAccessRepository repository =
        new PgAccessRepository(backends.client, backends.mapping, config.database().queryTimeout());
    this.resolver =
        new TieredAccessResolver(
            local,
            redis,
            repository,
            coherence,
            CacheTtls.from(config.cache(), config.redis()),
            clock);
    this.revocations = new EventRevocationLog(config.redis().permTtl().plusMinutes(30), 1_000_000);
    this.dynamicRoles =
        config.schema().dynamicRoles()
            ? Optional.of(
                new DynamicRoleCache(
                    new PgDynamicRoleRepository(
                        backends.client, backends.mapping, config.database().queryTimeout()),
                    config.cache().localTtl(),
                    100_000))
            : Optional.empty();
    this.orgRoles = dynamicRoles.<OrgRoles>map(Tenancy::asOrgRoles).orElse(OrgRoles.NONE);
    CacheInvalidator invalidator = new CacheInvalidator(coherence, local, redis, revocations);
    this.nats =
        config
            .nats()
            .url()
            .map(url -> new NatsInvalidationListener(config.nats(), invalidator, clock));
    if (nats.isEmpty()) {
      // NOTE: without events nothing can tell us a token's role claims went stale.
      revocations.claimsTrusted(false);
    }
    dynamicRoles.ifPresent(
        cache ->
            nats.ifPresent(
                n -> {
                  n.addHandler(
                      EventKind.ORGANIZATION_ROLE_CHANGED,
                      e -> e.organizationId().ifPresent(cache::evict));
                  n.addHandler(
                      EventKind.ORGANIZATION_DELETED,
                      e -> e.organizationId().ifPresent(cache::evict));
                }));
  }

  void start() throws InterruptedException {
    if (nats.isPresent()) {
      nats.get().start();
    }
  }

  boolean natsConnected() {
    return nats.map(NatsInvalidationListener::isConnected).orElse(true);
  }

  boolean redisAvailable() {
    return redis.map(RedisAccessCache::available).orElse(true);
  }

  private static OrgRoles asOrgRoles(DynamicRoles roles) {
    return (orgId, memberRoles) ->
        roles.rolesOf(orgId).thenApply(defined -> grantsOf(defined, memberRoles));
  }

  private static PermissionSet grantsOf(
      Map<String, List<String>> defined, java.util.Collection<String> memberRoles) {
    PermissionSet granted = PermissionSet.EMPTY;
    for (String role : memberRoles) {
      List<String> grants = defined.get(role);
      if (grants != null) {
        granted = granted.union(PermissionSet.of(grants));
      }
    }
    return granted;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  @Override
  public void close() throws InterruptedException {
    if (nats.isPresent()) {
      nats.get().close();
    }
  }
}
