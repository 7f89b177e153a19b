package dev.betterauthz.token;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * The issuer's public keys, loaded at start and refreshed in the background. Lookups never block:
 * {@link #keys()} returns what is loaded, and {@link #refetchForUnknownKid(String)} returns a stage
 * that completes after at most one rate-limited refetch. Implementations are thread-safe.
 */
public interface KeySource {

  /**
   * Loads the keys for the first time and starts the background refresh. The stage completes when
   * the first fetch is done, exceptionally if it failed (the background refresh keeps trying).
   */
  CompletionStage<Void> start();

  /** True when a non-empty key set is loaded and its last successful fetch is not too stale. */
  boolean isReady();

  /** The keys usable now; {@link KeySet#EMPTY} when not {@link #isReady() ready}. */
  KeySet keys();

  /**
   * Called when a token names a {@code kid} that {@link #keys()} lacks. Refetches at most once per
   * minimum interval (concurrent callers share one fetch; kids still unknown after a fetch are
   * remembered until the next successful fetch) and completes with the key set to use then. Never
   * completes exceptionally.
   */
  CompletionStage<KeySet> refetchForUnknownKid(String kid);

  /** When the keys were last fetched successfully; {@link Instant#EPOCH} if never. */
  Instant lastSuccess();

  /** Successful fetches since creation. */
  long fetchSuccesses();

  /** Failed fetches since creation. */
  long fetchFailures();

  /** Lookups of a {@code kid} the loaded key set did not hold. */
  long unknownKids();

  /** Stops the background refresh. Idempotent. */
  void close();
}
