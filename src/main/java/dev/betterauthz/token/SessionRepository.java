package dev.betterauthz.token;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Read-only lookup of Better Auth sessions by their raw (unsigned) token. Implementations never
 * write. Thread-safe.
 */
public interface SessionRepository {

  /**
   * The unexpired session whose {@code token} equals {@code token}, or empty when there is none
   * (unknown, deleted by sign-out or ban, or expired). The stage completes exceptionally with
   * {@link dev.betterauthz.tenancy.BackendUnavailableException} when the store cannot answer in
   * time.
   *
   * @param token the raw session token, already authenticated by its signature where one was given
   */
  CompletionStage<Optional<SessionRow>> findByToken(String token);
}
