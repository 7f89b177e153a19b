package dev.betterauthz.observability;

import dev.betterauthz.pipeline.DecisionTrace;
import dev.betterauthz.tenancy.Access;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Builds {@link DecisionTrace}s as the pipeline would fill them. The trace's writers are
 * package-private to the pipeline (only it records a trace), so tests reach them reflectively.
 */
final class Traces {
  private Traces() {}

  static DecisionTrace of(
      Optional<Access.Tier> tier,
      Optional<String> userId,
      Optional<String> orgId,
      long tokenNanos,
      long accessNanos,
      long totalNanos) {
    try {
      Constructor<DecisionTrace> constructor =
          DecisionTrace.class.getDeclaredConstructor(boolean.class, long.class);
      constructor.setAccessible(true);
      DecisionTrace trace = constructor.newInstance(false, 1_000L);
      if (tier.isPresent()) {
        call(trace, "tier", Access.Tier.class, tier.get());
      }
      if (userId.isPresent()) {
        call(trace, "user", String.class, userId.get());
      }
      if (orgId.isPresent()) {
        call(trace, "org", String.class, orgId.get());
      }
      call(trace, "tokenNanos", long.class, tokenNanos);
      call(trace, "accessNanos", long.class, accessNanos);
      call(trace, "end", long.class, 1_000L + totalNanos);
      return trace;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("DecisionTrace changed shape", e);
    }
  }

  /** A trace of a public-route or early-deny decision: no identity, no stages. */
  static DecisionTrace empty(long totalNanos) {
    return of(Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, totalNanos);
  }

  private static void call(DecisionTrace trace, String name, Class<?> type, Object value)
      throws ReflectiveOperationException {
    Method method = DecisionTrace.class.getDeclaredMethod(name, type);
    method.setAccessible(true);
    method.invoke(trace, value);
  }
}
