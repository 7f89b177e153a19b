package dev.betterauthz.pipeline;

import dev.betterauthz.decision.Decision;
import java.util.concurrent.CompletionStage;

/**
 * Decides one request. Implementations never complete exceptionally: every failure, including a
 * bug, becomes a {@link Decision.Deny} (fail closed). Thread-safe.
 */
@FunctionalInterface
public interface Authorizer {
  CompletionStage<Decision> authorize(AccessRequest request);
}
