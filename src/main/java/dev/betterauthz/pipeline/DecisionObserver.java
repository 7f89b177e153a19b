package dev.betterauthz.pipeline;

import dev.betterauthz.decision.Decision;

/**
 * Sees every decision once, after it is made (decision log, metrics). Must be fast and must not
 * throw; called on the thread that completed the decision.
 */
@FunctionalInterface
public interface DecisionObserver {
  DecisionObserver NONE = (request, decision, trace) -> {};

  void observe(AccessRequest request, Decision decision, DecisionTrace trace);
}
