package dev.betterauthz.observability;

import dev.betterauthz.pipeline.DecisionObserver;
import java.util.List;

/** Combinations of {@link DecisionObserver}s. */
public final class DecisionObservers {
  private DecisionObservers() {}

  /**
   * An observer that calls each of {@code observers} in order. A failing observer does not keep the
   * later ones from running; the first failure is rethrown afterwards (the pipeline logs it), with
   * any further ones attached as suppressed.
   */
  public static DecisionObserver all(DecisionObserver... observers) {
    List<DecisionObserver> list = List.of(observers);
    return (request, decision, trace) -> {
      RuntimeException failure = null;
      for (DecisionObserver observer : list) {
        try {
          observer.observe(request, decision, trace);
        } catch (RuntimeException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    };
  }
}
