package dev.betterauthz.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.betterauthz.decision.Decision;
import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.decision.Identity;
import dev.betterauthz.pipeline.AccessRequest;
import dev.betterauthz.pipeline.DecisionObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionObserversTest {
  private static final AccessRequest REQUEST = AccessRequest.of("GET", "/x", Map.of());
  private static final Decision DENY =
      new Decision.Deny("d1", Optional.empty(), DenyReason.NO_ROUTE, false, Identity.ANONYMOUS);

  @Test
  void callsEveryObserverInOrder() {
    List<String> seen = new ArrayList<>();
    DecisionObservers.all((r, d, t) -> seen.add("a"), (r, d, t) -> seen.add("b"))
        .observe(REQUEST, DENY, Traces.empty(1));

    assertThat(seen).containsExactly("a", "b");
  }

  @Test
  void aFailingObserverDoesNotSilenceTheOthersAndIsRethrown() {
    List<String> seen = new ArrayList<>();
    DecisionObserver failing =
        (r, d, t) -> {
          throw new IllegalStateException("first");
        };
    DecisionObserver alsoFailing =
        (r, d, t) -> {
          throw new IllegalArgumentException("second");
        };
    DecisionObserver all =
        DecisionObservers.all(failing, (r, d, t) -> seen.add("ran"), alsoFailing);

    assertThatThrownBy(() -> all.observe(REQUEST, DENY, Traces.empty(1)))
        .isInstanceOf(IllegalStateException.class)
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    assertThat(seen).containsExactly("ran");
  }
}
