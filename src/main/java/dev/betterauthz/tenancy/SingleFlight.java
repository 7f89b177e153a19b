package dev.betterauthz.tenancy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Coalesces concurrent loads of the same key into one: while a load for a key is in flight, other
 * callers get the same stage instead of starting their own. A caller may refuse to join a flight
 * (for instance one that began before an invalidation of the key); it then starts a new flight that
 * replaces the old one for later callers. Thread-safe.
 *
 * @param <K> the key
 * @param <T> what each flight carries about its start (e.g. a {@link CacheCoherence.Stamp})
 * @param <V> the loaded value
 */
public final class SingleFlight<K, T, V> {
  private final ConcurrentMap<K, Flight<T, V>> flights = new ConcurrentHashMap<>();

  /** One load in flight, with what it recorded when it started. */
  public record Flight<T, V>(T start, CompletableFuture<V> result, boolean joined) {}

  /**
   * Joins the flight for {@code key} if one is in flight and {@code joinable} accepts its start
   * tag; otherwise starts {@code load} tagged with {@code start}. The returned flight says whether
   * it was joined.
   */
  public Flight<T, V> run(
      K key, T start, Predicate<T> joinable, Supplier<? extends CompletionStage<V>> load) {
    while (true) {
      Flight<T, V> current = flights.get(key);
      if (current != null && joinable.test(current.start())) {
        return new Flight<>(current.start(), current.result(), true);
      }
      Flight<T, V> mine = new Flight<>(start, new CompletableFuture<>(), false);
      boolean installed =
          current == null
              ? flights.putIfAbsent(key, mine) == null
              : flights.replace(key, current, mine);
      if (installed) {
        launch(key, mine, load);
        return mine;
      }
    }
  }

  private void launch(K key, Flight<T, V> mine, Supplier<? extends CompletionStage<V>> load) {
    CompletionStage<V> stage;
    try {
      stage = load.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (value, error) -> {
          flights.remove(key, mine);
          if (error != null) {
            mine.result().completeExceptionally(error);
          } else {
            mine.result().complete(value);
          }
        });
  }

  /** Loads in flight right now. */
  public int inFlight() {
    return flights.size();
  }
}
