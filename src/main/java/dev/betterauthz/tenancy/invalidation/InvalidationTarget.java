package dev.betterauthz.tenancy.invalidation;

import java.util.concurrent.CompletionStage;

/**
 * What the listener drives: the caches and the revocation log. Called from the listener's threads;
 * implementations are thread-safe and never throw for a well-formed event.
 */
public interface InvalidationTarget {

  /** Applies one event; the stage completes when every tier has been evicted (or gave up). */
  CompletionStage<Void> apply(InvalidationEvent event);

  /** Events may be lost from now on (disconnected): caches shorten their TTLs, claims untrusted. */
  void eventsInterrupted();

  /**
   * Subscriptions are confirmed again: drop what may have missed an event, then trust events again.
   * The stage completes when the caches are clean and the claims tier is trusted.
   *
   * @param replayed true when missed events will be replayed (JetStream durable consumer), so
   *     shared caches need not be flushed; false for plain subscriptions, which lose them
   */
  CompletionStage<Void> eventsRestored(boolean replayed);
}
