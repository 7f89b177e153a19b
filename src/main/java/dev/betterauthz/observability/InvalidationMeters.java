package dev.betterauthz.observability;

import dev.betterauthz.observability.Metrics.EventOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Meters of the NATS invalidation listener. The {@code subject} label is one of the known event
 * subjects (a configured prefix is dropped) or {@code other}, so it stays bounded whatever arrives
 * on the wire. Thread-safe.
 */
final class InvalidationMeters {
  static final List<String> SUBJECTS =
      List.of(
          "member.role.changed",
          "member.removed",
          "member.added",
          "user.banned",
          "user.role.changed",
          "organization.deleted",
          "organization.role.changed",
          "session.revoked");
  static final String OTHER = "other";

  private final Map<String, Counter[]> bySubject = new ConcurrentHashMap<>();
  private final Timer lag;

  InvalidationMeters(MeterRegistry registry) {
    for (String subject : SUBJECTS) {
      bySubject.put(subject, counters(registry, subject));
    }
    bySubject.put(OTHER, counters(registry, OTHER));
    this.lag =
        Timer.builder(MetricNames.INVALIDATION_LAG)
            .publishPercentileHistogram(false)
            .serviceLevelObjectives(
                Duration.ofMillis(1),
                Duration.ofMillis(5),
                Duration.ofMillis(10),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30))
            .register(registry);
  }

  private static Counter[] counters(MeterRegistry registry, String subject) {
    Counter[] counters = new Counter[EventOutcome.values().length];
    for (EventOutcome outcome : EventOutcome.values()) {
      counters[outcome.ordinal()] =
          Counter.builder(MetricNames.INVALIDATION_EVENTS)
              .tag(MetricNames.SUBJECT, subject)
              .tag(MetricNames.OUTCOME, Metrics.label(outcome))
              .register(registry);
    }
    return counters;
  }

  void event(String subject, EventOutcome outcome) {
    bySubject.get(known(subject))[outcome.ordinal()].increment();
  }

  void lag(Duration lag) {
    // A negative lag means clocks disagree; record zero rather than drop the sample.
    this.lag.record(lag.isNegative() ? Duration.ZERO : lag);
  }

  /** The known subject {@code subject} ends with (after a prefix and a dot), or {@code other}. */
  static String known(String subject) {
    if (subject == null) {
      return OTHER;
    }
    for (String known : SUBJECTS) {
      if (subject.equals(known)
          || (subject.endsWith(known)
              && subject.charAt(subject.length() - known.length() - 1) == '.')) {
        return known;
      }
    }
    return OTHER;
  }
}
