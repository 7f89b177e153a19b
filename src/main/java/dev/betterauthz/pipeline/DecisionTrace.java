package dev.betterauthz.pipeline;

import dev.betterauthz.tenancy.Access;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What happened while deciding one request: which tier answered, stage timings and, when verbose
 * (the {@code explain} command), a readable step list. Confined to the request's own chain of
 * stages; not shared between threads concurrently.
 */
public final class DecisionTrace {
  private final boolean verbose;
  private final long startNanos;
  private final List<String> steps;
  private Optional<Access.Tier> tier = Optional.empty();
  private Optional<String> userId = Optional.empty();
  private Optional<String> orgId = Optional.empty();
  private long tokenNanos;
  private long accessNanos;
  private long endNanos;

  DecisionTrace(boolean verbose, long startNanos) {
    this.verbose = verbose;
    this.startNanos = startNanos;
    this.steps = verbose ? new ArrayList<>() : List.of();
  }

  /** Records a step for {@code explain}; free when not verbose. */
  void step(String format, Object... args) {
    if (verbose) {
      steps.add(args.length == 0 ? format : String.format(format, args));
    }
  }

  void tier(Access.Tier t) {
    tier = Optional.of(t);
  }

  void user(String id) {
    userId = Optional.of(id);
  }

  void org(String id) {
    orgId = Optional.of(id);
  }

  void tokenNanos(long nanos) {
    tokenNanos = nanos;
  }

  void accessNanos(long nanos) {
    accessNanos = nanos;
  }

  void end(long nanos) {
    endNanos = nanos;
  }

  public boolean verbose() {
    return verbose;
  }

  public List<String> steps() {
    return List.copyOf(steps);
  }

  /** The tier that answered the role question, if one was asked. */
  public Optional<Access.Tier> tier() {
    return tier;
  }

  public Optional<String> userId() {
    return userId;
  }

  public Optional<String> orgId() {
    return orgId;
  }

  public long tokenNanos() {
    return tokenNanos;
  }

  public long accessNanos() {
    return accessNanos;
  }

  public long totalNanos() {
    return endNanos - startNanos;
  }
}
