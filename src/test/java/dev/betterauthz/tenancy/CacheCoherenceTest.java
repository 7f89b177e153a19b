package dev.betterauthz.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.betterauthz.config.AppConfig.CacheConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CacheCoherenceTest {
  private final CacheCoherence coherence = new CacheCoherence(Duration.ofSeconds(30), true);
  private final AccessKey key = AccessKey.of("u1", "o1");

  @Test
  void writeBackIsRefusedAfterAnyInvalidationThatConcernsTheKey() {
    CacheCoherence.Stamp stamp = coherence.begin();
    coherence.invalidateKey(AccessKey.of("u1", "o2"), () -> {});
    coherence.invalidateUser("u2", () -> {});
    coherence.invalidateOrganization("o2", () -> {});
    assertThat(coherence.unchangedSince(key, stamp)).isTrue();
    coherence.invalidateOrganization("o1", () -> {});
    assertThat(coherence.writeIfUnchanged(key, stamp, () -> {})).isFalse();

    CacheCoherence.Stamp later = coherence.begin();
    coherence.invalidateUser("u1", () -> {});
    assertThat(coherence.unchangedSince(key, later)).isFalse();
    CacheCoherence.Stamp last = coherence.begin();
    coherence.invalidateAll(() -> {});
    assertThat(coherence.unchangedSince(key, last)).isFalse();
  }

  @Test
  void fillsOlderThanTheHorizonAreNeverWrittenBack() {
    CacheCoherence strict = new CacheCoherence(Duration.ZERO, true);
    CacheCoherence.Stamp stamp = new CacheCoherence.Stamp(0, System.nanoTime() - 1_000);
    assertThat(strict.writeIfUnchanged(key, stamp, () -> {})).isFalse();
  }

  @Test
  void singleFlightJoinsOnlyAcceptedFlights() {
    SingleFlight<String, Integer, String> flights = new SingleFlight<>();
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<String> pending = new CompletableFuture<>();
    var first =
        flights.run(
            "k",
            1,
            t -> true,
            () -> {
              loads.incrementAndGet();
              return pending;
            });
    var joined =
        flights.run(
            "k",
            2,
            t -> true,
            () -> {
              loads.incrementAndGet();
              return pending;
            });
    var refused =
        flights.run(
            "k",
            3,
            t -> t >= 3,
            () -> {
              loads.incrementAndGet();
              return new CompletableFuture<String>();
            });
    assertThat(first.joined()).isFalse();
    assertThat(joined.joined()).isTrue();
    assertThat(joined.start()).isEqualTo(1);
    assertThat(refused.joined()).isFalse();
    assertThat(loads).hasValue(2);
    pending.complete("v");
    assertThat(joined.result()).isCompletedWithValue("v");
    assertThat(flights.inFlight()).isEqualTo(1);
  }

  @Test
  void disabledLocalTierHoldsNothing() {
    LocalAccessCache off =
        new LocalAccessCache(
            new CacheConfig(Duration.ofSeconds(30), 100, Duration.ofSeconds(5), false));
    Instant now = Instant.now();
    off.put(
        key,
        new Access(true, java.util.List.of(), false, java.util.List.of("a"), Access.Tier.LOCAL),
        now,
        Duration.ofSeconds(30));
    assertThat(off.get(key, now, Optional.empty())).isEmpty();
  }

  @Test
  void rejectsNulls() {
    assertThatNullPointerException().isThrownBy(() -> new AccessKey(null, Optional.empty()));
    assertThatNullPointerException().isThrownBy(() -> new LocalAccessCache(null));
    assertThatNullPointerException()
        .isThrownBy(
            () ->
                new CacheInvalidator(
                    coherence,
                    null,
                    Optional.empty(),
                    new EventRevocationLog(Duration.ofHours(1), 10)));
  }
}
