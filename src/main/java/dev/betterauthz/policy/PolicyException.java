package dev.betterauthz.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A policy file that cannot be used. Carries every problem found, not just the first, each with its
 * file, line and column; {@link #getMessage()} lists them one per line.
 */
public final class PolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<PolicyError> errors;

  public PolicyException(List<PolicyError> errors) {
    super(describe(errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a PolicyException needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  /** Every problem, in document order. */
  public List<PolicyError> errors() {
    return errors;
  }

  private static String describe(List<PolicyError> errors) {
    return errors.stream().map(PolicyError::format).collect(Collectors.joining("\n"));
  }
}
