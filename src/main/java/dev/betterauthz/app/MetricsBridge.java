package dev.betterauthz.app;

import dev.betterauthz.observability.Metrics;
import dev.betterauthz.observability.Metrics.LookupOutcome;
import dev.betterauthz.tenancy.Access;
import dev.betterauthz.tenancy.CacheStats;
import dev.betterauthz.tenancy.TieredAccessResolver;
import dev.betterauthz.tenancy.invalidation.ListenerStats;
import dev.betterauthz.tenancy.invalidation.NatsInvalidationListener;
import dev.betterauthz.token.KeySource;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Carries the plain counters the components keep (tiers, JWKS, NATS) into Micrometer, once per
 * scrape: the hot path only bumps a field, and the metric work happens when Prometheus asks.
 */
final class MetricsBridge {
  private final Metrics metrics;
  private final TieredAccessResolver resolver;
  private final KeySource keys;
  private final Optional<NatsInvalidationListener> nats;
  private CacheStats.Snapshot lastTiers = new CacheStats.Snapshot(0, 0, 0, 0, 0, 0, 0, 0);
  private long lastFetchOk;
  private long lastFetchFailed;
  private long lastUnknownKids;
  private ListenerStats lastEvents = new ListenerStats(0, 0, 0, 0, 0, 0);

  MetricsBridge(
      Metrics metrics,
      TieredAccessResolver resolver,
      KeySource keys,
      Optional<NatsInvalidationListener> nats) {
    this.metrics = metrics;
    this.resolver = resolver;
    this.keys = keys;
    this.nats = nats;
    metrics.jwksAge(
        () ->
            keys.lastSuccess().equals(Instant.EPOCH)
                ? Double.NaN
                : Duration.between(keys.lastSuccess(), Instant.now()).toMillis() / 1000.0);
  }

  /** Brings the counters up to date, then renders the Prometheus text. */
  synchronized String scrape() {
    syncTiers();
    syncKeys();
    nats.ifPresent(this::syncEvents);
    return metrics.scrape();
  }

  private void syncTiers() {
    CacheStats.Snapshot now = resolver.stats();
    add(Access.Tier.LOCAL, LookupOutcome.HIT, now.localHits() - lastTiers.localHits());
    add(Access.Tier.LOCAL, LookupOutcome.MISS, now.localMisses() - lastTiers.localMisses());
    add(Access.Tier.REDIS, LookupOutcome.HIT, now.redisHits() - lastTiers.redisHits());
    add(Access.Tier.REDIS, LookupOutcome.MISS, now.redisMisses() - lastTiers.redisMisses());
    add(
        Access.Tier.POSTGRES,
        LookupOutcome.HIT,
        now.repositoryLoads() - lastTiers.repositoryLoads());
    long errors = now.repositoryErrors() - lastTiers.repositoryErrors();
    add(Access.Tier.POSTGRES, LookupOutcome.ERROR, errors);
    for (long i = 0; i < errors; i++) {
      metrics.backendError(Metrics.Backend.POSTGRES);
    }
    lastTiers = now;
  }

  private void add(Access.Tier tier, LookupOutcome outcome, long delta) {
    for (long i = 0; i < delta; i++) {
      metrics.roleLookup(tier, outcome);
    }
  }

  private void syncKeys() {
    long ok = keys.fetchSuccesses();
    long failed = keys.fetchFailures();
    long unknown = keys.unknownKids();
    for (long i = lastFetchOk; i < ok; i++) {
      metrics.jwksRefresh(true);
    }
    for (long i = lastFetchFailed; i < failed; i++) {
      metrics.jwksRefresh(false);
      metrics.backendError(Metrics.Backend.JWKS);
    }
    for (long i = lastUnknownKids; i < unknown; i++) {
      metrics.unknownKid();
    }
    lastFetchOk = ok;
    lastFetchFailed = failed;
    lastUnknownKids = unknown;
  }

  private void syncEvents(NatsInvalidationListener listener) {
    ListenerStats now = listener.stats();
    for (long i = lastEvents.applied(); i < now.applied(); i++) {
      metrics.invalidationEvent("applied", Metrics.EventOutcome.APPLIED);
    }
    for (long i = lastEvents.malformed(); i < now.malformed(); i++) {
      metrics.invalidationEvent("malformed", Metrics.EventOutcome.MALFORMED);
    }
    for (long i = lastEvents.failed(); i < now.failed(); i++) {
      metrics.invalidationEvent("failed", Metrics.EventOutcome.FAILED);
    }
    if (now.applied() > lastEvents.applied()) {
      metrics.invalidationLag(Duration.ofMillis(now.lastLagMillis()));
    }
    lastEvents = now;
  }
}
