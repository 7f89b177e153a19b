package dev.betterauthz.observability;

import dev.betterauthz.decision.Decision;
import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.pipeline.AccessRequest;
import dev.betterauthz.pipeline.DecisionObserver;
import dev.betterauthz.pipeline.DecisionTrace;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * Counts every decision in {@code authz_checks_total{decision,reason,route}} (and shadowed denies
 * in {@code authz_shadow_denies_total}) and records its latency and stage timings. Counters are
 * created on first use per route name (bounded by the policy) and reason, then reused: an
 * observation is a map read, an array read and a few adds. Thread-safe.
 */
public final class MetricsObserver implements DecisionObserver {
  private final Metrics metrics;
  private final MeterRegistry registry;
  private final Map<String, RouteCounters> byRoute = new ConcurrentHashMap<>();

  public MetricsObserver(Metrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.registry = metrics.registry();
  }

  @Override
  public void observe(AccessRequest request, Decision decision, DecisionTrace trace) {
    String route = decision.route().orElse(MetricNames.NONE);
    RouteCounters counters = byRoute.computeIfAbsent(route, this::countersFor);
    if (decision instanceof Decision.Deny deny) {
      counter(counters.denies, deny.reason(), r -> checks(route, "deny", r.code())).increment();
    } else if (decision instanceof Decision.Allow allow) {
      counters.allows.increment();
      allow
          .shadowedDeny()
          .ifPresent(r -> counter(counters.shadowDenies, r, x -> shadow(route, x)).increment());
    }
    metrics.check(trace.totalNanos(), trace.tokenNanos(), trace.accessNanos());
  }

  /** The counter for {@code reason}, registered on first use (only reasons seen get a series). */
  private static Counter counter(
      AtomicReferenceArray<Counter> byReason,
      DenyReason reason,
      Function<DenyReason, Counter> create) {
    Counter counter = byReason.get(reason.ordinal());
    if (counter == null) {
      // NOTE: a race registers the same meter twice; the registry returns the one instance.
      counter = create.apply(reason);
      byReason.set(reason.ordinal(), counter);
    }
    return counter;
  }

  private RouteCounters countersFor(String route) {
    int reasons = DenyReason.values().length;
    return new RouteCounters(
        checks(route, "allow", MetricNames.NONE),
        new AtomicReferenceArray<>(reasons),
        new AtomicReferenceArray<>(reasons));
  }

  private Counter checks(String route, String decision, String reason) {
    return Counter.builder(MetricNames.CHECKS)
        .description("Authorization decisions")
        .tag(MetricNames.DECISION, decision)
        .tag(MetricNames.REASON, reason)
        .tag(MetricNames.ROUTE, route)
        .register(registry);
  }

  private Counter shadow(String route, DenyReason reason) {
    return Counter.builder(MetricNames.SHADOW_DENIES)
        .description("Denies a shadow-mode route let through")
        .tag(MetricNames.ROUTE, route)
        .tag(MetricNames.REASON, reason.code())
        .register(registry);
  }

  /** Counters of one route: allows, denies by reason, shadowed denies by reason. */
  private record RouteCounters(
      Counter allows,
      AtomicReferenceArray<Counter> denies,
      AtomicReferenceArray<Counter> shadowDenies) {}
}
