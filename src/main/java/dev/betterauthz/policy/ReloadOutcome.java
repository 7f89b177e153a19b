package dev.betterauthz.policy;

import java.util.List;
import java.util.Objects;

/** What one look at the policy file found. */
public sealed interface ReloadOutcome {

  /** The file has not changed since the last look (or holds what was already rejected). */
  record Unchanged() implements ReloadOutcome {}

  /** A new version was loaded and now serves. */
  record Reloaded(Policy previous, Policy current) implements ReloadOutcome {
    public Reloaded {
      Objects.requireNonNull(previous, "previous");
      Objects.requireNonNull(current, "current");
    }
  }

  /** A new version was invalid or unreadable; the previous policy keeps serving. */
  record Rejected(List<PolicyError> errors) implements ReloadOutcome {
    public Rejected {
      errors = List.copyOf(errors);
    }
  }
}
