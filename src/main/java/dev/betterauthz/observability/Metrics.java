package dev.betterauthz.observability;

import dev.betterauthz.tenancy.Access;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The application's meters, on one {@link PrometheusMeterRegistry} that {@code /metrics} scrapes.
 * Meters used on the request path are created once here and cached, so recording is a field read
 * and an add. Thread-safe. Names come from {@link MetricNames}.
 *
 * <p>Components that keep their own counters (a cache with hit counts, a pool with a size) do not
 * need to call in: register them once with {@link #functionCounter} or {@link #gauge}.
 */
public final class Metrics {
  /** A dependency whose errors are counted in {@code authz_backend_errors_total}. */
  public enum Backend {
    POSTGRES,
    REDIS,
    NATS,
    JWKS
  }

  /** What a role tier said: it had the answer, it did not, or it failed. */
  public enum LookupOutcome {
    HIT,
    MISS,
    ERROR
  }

  /** What became of one invalidation event. */
  public enum EventOutcome {
    /** Caches were evicted. */
    APPLIED,
    /** Well-formed but nothing to do (unknown subject, no matching entry kind). */
    IGNORED,
    /** The payload could not be read. */
    MALFORMED,
    /** Eviction failed (Redis down, for example). */
    FAILED
  }

  private final PrometheusMeterRegistry registry;
  private final Timer checkDuration;
  private final Timer tokenStage;
  private final Timer accessStage;
  private final Counter[][] roleLookups;
  private final Counter[] backendErrors;
  private final Counter jwksRefreshSuccess;
  private final Counter jwksRefreshFailure;
  private final Counter unknownKid;
  private final Counter policyReloadSuccess;
  private final Counter policyReloadFailure;
  private final InvalidationMeters invalidation;
  private final AtomicInteger inflight = new AtomicInteger();
  // NOTE: FunctionCounter keeps only a weak reference to its source; hold sources here.
  private final List<Object> sources = new CopyOnWriteArrayList<>();

  /** A fresh registry with every meter of the application registered. */
  public Metrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  Metrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.checkDuration = latency(MetricNames.CHECK_DURATION).register(registry);
    this.tokenStage =
        latency(MetricNames.STAGE_DURATION).tag(MetricNames.STAGE, "token").register(registry);
    this.accessStage =
        latency(MetricNames.STAGE_DURATION).tag(MetricNames.STAGE, "access").register(registry);
    this.roleLookups = new Counter[Access.Tier.values().length][LookupOutcome.values().length];
    for (Access.Tier tier : Access.Tier.values()) {
      for (LookupOutcome outcome : LookupOutcome.values()) {
        roleLookups[tier.ordinal()][outcome.ordinal()] =
            counter(
                MetricNames.ROLE_LOOKUPS,
                MetricNames.TIER,
                label(tier),
                MetricNames.OUTCOME,
                label(outcome));
      }
    }
    this.backendErrors = new Counter[Backend.values().length];
    for (Backend backend : Backend.values()) {
      backendErrors[backend.ordinal()] =
          counter(MetricNames.BACKEND_ERRORS, MetricNames.BACKEND, label(backend));
    }
    this.jwksRefreshSuccess = counter(MetricNames.JWKS_REFRESH, MetricNames.OUTCOME, "success");
    this.jwksRefreshFailure = counter(MetricNames.JWKS_REFRESH, MetricNames.OUTCOME, "failure");
    this.unknownKid = counter(MetricNames.JWT_UNKNOWN_KID);
    this.policyReloadSuccess = counter(MetricNames.POLICY_RELOADS, MetricNames.OUTCOME, "success");
    this.policyReloadFailure = counter(MetricNames.POLICY_RELOADS, MetricNames.OUTCOME, "failure");
    this.invalidation = new InvalidationMeters(registry);
    Gauge.builder(MetricNames.INFLIGHT_CHECKS, inflight, AtomicInteger::get)
        .description("Checks started and not yet answered")
        .register(registry);
  }

  /** Latency histogram with fixed SLO buckets from 0.1 ms to 1 s (no percentile histogram). */
  static Timer.Builder latency(String name) {
    return Timer.builder(name)
        .publishPercentileHistogram(false)
        .serviceLevelObjectives(
            micros(100),
            micros(250),
            micros(500),
            micros(1_000),
            micros(2_500),
            micros(5_000),
            micros(10_000),
            micros(25_000),
            micros(50_000),
            micros(100_000),
            micros(250_000),
            micros(500_000),
            micros(1_000_000));
  }

  private static Duration micros(long micros) {
    return Duration.ofNanos(micros * 1_000);
  }

  static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** The registry, for binders (JVM metrics) and for components that build their own meters. */
  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter, for {@code GET /metrics}. */
  public String scrape() {
    return registry.scrape();
  }

  /** Records one whole check and its stages; stage times of 0 (stage not run) are skipped. */
  public void check(long totalNanos, long tokenNanos, long accessNanos) {
    checkDuration.record(totalNanos, TimeUnit.NANOSECONDS);
    if (tokenNanos > 0) {
      tokenStage.record(tokenNanos, TimeUnit.NANOSECONDS);
    }
    if (accessNanos > 0) {
      accessStage.record(accessNanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Counts one answer (or miss, or failure) of a role tier. */
  public void roleLookup(Access.Tier tier, LookupOutcome outcome) {
    roleLookups[tier.ordinal()][outcome.ordinal()].increment();
  }

  /** Counts one JWKS fetch. */
  public void jwksRefresh(boolean success) {
    (success ? jwksRefreshSuccess : jwksRefreshFailure).increment();
  }

  /** Registers the JWKS age gauge; {@code ageSeconds} is read at scrape time. */
  public void jwksAge(DoubleSupplier ageSeconds) {
    Gauge.builder(MetricNames.JWKS_AGE, ageSeconds::getAsDouble)
        .baseUnit("seconds")
        .description("Seconds since the key set was last loaded")
        .register(registry);
  }

  /** Counts one token whose {@code kid} the key set did not hold. */
  public void unknownKid() {
    unknownKid.increment();
  }

  /**
   * Counts one NATS event. {@code subject} may carry the configured prefix; anything but a known
   * subject is labelled {@code other}.
   */
  public void invalidationEvent(String subject, EventOutcome outcome) {
    invalidation.event(subject, outcome);
  }

  /** Records the time from an event's publication to the eviction it caused. */
  public void invalidationLag(Duration lag) {
    invalidation.lag(lag);
  }

  /** Counts one failed call to a dependency. */
  public void backendError(Backend backend) {
    backendErrors[backend.ordinal()].increment();
  }

  /** Registers the PostgreSQL pool gauge; {@code inUse} is read at scrape time. */
  public void dbPoolInUse(IntSupplier inUse) {
    Gauge.builder(MetricNames.DB_POOL_IN_USE, inUse::getAsInt)
        .description("PostgreSQL connections lent out")
        .register(registry);
  }

  /** Counts one policy reload attempt. */
  public void policyReload(boolean success) {
    (success ? policyReloadSuccess : policyReloadFailure).increment();
  }

  /** Marks a check as started; pair with {@link #checkFinished()} in a finally or completion. */
  public void checkStarted() {
    inflight.incrementAndGet();
  }

  /** Marks a check as answered. */
  public void checkFinished() {
    inflight.decrementAndGet();
  }

  /** Registers (or finds) a counter; keep the returned instance rather than calling per event. */
  public Counter counter(String name, String... tags) {
    return Counter.builder(name).tags(tags).register(registry);
  }

  /** Registers a gauge read from {@code value} at scrape time. */
  public void gauge(String name, Supplier<Number> value, String... tags) {
    Gauge.builder(name, value).tags(tags).register(registry);
  }

  /**
   * Registers a counter whose value a component keeps itself (an {@code AtomicLong}, a cache's hit
   * count). {@code source} is held strongly; {@code count} must be monotonic.
   */
  public <T> void functionCounter(
      String name, T source, ToDoubleFunction<T> count, String... tags) {
    sources.add(source);
    FunctionCounter.builder(name, source, count).tags(tags).register(registry);
  }
}
