package dev.betterauthz.pipeline;

import dev.betterauthz.decision.Decision;
import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.decision.Identity;
import dev.betterauthz.policy.Route;
import dev.betterauthz.tenancy.BackendUnavailableException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decision pipeline: route, credential, tenant, role, permission (see {@link Evaluation}),
 * wrapped in the rules that hold for every request: a decision id, the caller's deadline, shadow
 * mode, and fail-closed handling of every error. Thread-safe.
 */
public final class PipelineAuthorizer implements Authorizer {
  private static final Logger log = LoggerFactory.getLogger(PipelineAuthorizer.class);

  /** Answer this long before the caller's deadline so the answer still arrives in time. */
  static final long DEADLINE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(15);

  private final PipelineParts parts;
  private final DecisionObserver observer;

  public PipelineAuthorizer(PipelineParts parts, DecisionObserver observer) {
    this.parts = parts;
    this.observer = observer;
  }

  @Override
  public CompletionStage<Decision> authorize(AccessRequest request) {
    return decide(request, false).thenApply(Explained::decision);
  }

  /** Decides and returns the trace too (the {@code explain} command). */
  public CompletionStage<Explained> explain(AccessRequest request) {
    return decide(request, true);
  }

  /** A decision with the trace of how it was made. */
  public record Explained(Decision decision, DecisionTrace trace) {}

  private CompletionStage<Explained> decide(AccessRequest request, boolean verbose) {
    long start = System.nanoTime();
    DecisionTrace trace = new DecisionTrace(verbose, start);
    String decisionId = DecisionIds.next();
    CompletableFuture<Decision> result = new CompletableFuture<>();
    Evaluation evaluation;
    try {
      evaluation = new Evaluation(parts, request, trace);
      evaluation
          .run()
          .whenComplete(
              (verdict, error) ->
                  result.complete(
                      error == null
                          ? stamp(decisionId, evaluation.route(), verdict, trace)
                          : failure(decisionId, evaluation.route(), error, trace)));
    } catch (RuntimeException | Error e) {
      result.complete(failure(decisionId, Optional.empty(), e, trace));
    }
    if (request.deadlineNanos() != Long.MAX_VALUE && !result.isDone()) {
      long budget = request.deadlineNanos() - start - DEADLINE_MARGIN_NANOS;
      result.completeOnTimeout(
          timedOut(decisionId, trace), Math.max(0, budget), TimeUnit.NANOSECONDS);
    }
    return result.thenApply(
        decision -> {
          trace.end(System.nanoTime());
          observe(request, decision, trace);
          return new Explained(decision, trace);
        });
  }

  private Decision stamp(String id, Optional<Route> route, Verdict verdict, DecisionTrace trace) {
    Optional<String> name = route.map(Route::name);
    boolean shadow = route.map(Route::shadow).orElse(false);
    if (verdict.deny().isEmpty()) {
      trace.step("decision: allow");
      return new Decision.Allow(id, name, verdict.identity(), Optional.empty());
    }
    DenyReason reason = verdict.deny().get();
    if (shadow) {
      trace.step("decision: allow (shadow mode; enforcement would deny: %s)", reason.code());
      return new Decision.Allow(id, name, verdict.identity(), Optional.of(reason));
    }
    trace.step("decision: deny (%s)", reason.code());
    return new Decision.Deny(id, name, reason, verdict.tokenPresented(), verdict.identity());
  }

  private Decision failure(String id, Optional<Route> route, Throwable error, DecisionTrace trace) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    DenyReason reason;
    if (cause instanceof BackendUnavailableException) {
      reason = DenyReason.BACKEND_UNAVAILABLE;
      log.debug("decision {}: backend unavailable: {}", id, cause.getMessage());
    } else {
      reason = DenyReason.INTERNAL_ERROR;
      log.error("decision {}: internal error, denying (fail closed)", id, cause);
    }
    trace.step("decision: deny (%s: %s)", reason.code(), cause.getMessage());
    // NOTE: shadow mode never turns an outage into an allow; it only relaxes policy outcomes.
    return new Decision.Deny(id, route.map(Route::name), reason, true, Identity.ANONYMOUS);
  }

  private Decision timedOut(String id, DecisionTrace trace) {
    trace.step("decision: deny (no answer before the caller's deadline)");
    return new Decision.Deny(
        id, Optional.empty(), DenyReason.BACKEND_UNAVAILABLE, true, Identity.ANONYMOUS);
  }

  private void observe(AccessRequest request, Decision decision, DecisionTrace trace) {
    try {
      observer.observe(request, decision, trace);
    } catch (RuntimeException e) {
      log.warn("decision observer failed for decision {}", decision.decisionId(), e);
    }
  }
}
