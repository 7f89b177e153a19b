package dev.betterauthz.tenancy;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Turns Vert.x SQL futures into the tenancy boundary's {@link CompletionStage}s: every call gets a
 * deadline (a Vert.x timer, so nothing blocks and the stage completes on the event loop), and every
 * failure becomes a {@link BackendUnavailableException}. The server-side {@code statement_timeout}
 * set by {@link PgPools} frees the connection of a query that was abandoned here.
 */
final class PgFutures {
  private PgFutures() {}

  static <T> CompletionStage<T> bounded(Future<T> future, Duration timeout, String what) {
    return future
        .timeout(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)
        .recover(
            error ->
                Future.failedFuture(
                    new BackendUnavailableException(
                        "PostgreSQL could not answer " + what + ": " + describe(error), error)))
        .toCompletionStage();
  }

  private static String describe(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
  }
}
