package dev.betterauthz.pipeline;

import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.decision.Identity;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of evaluating a request before it is stamped with a decision id and shadow mode:
 * either the identity to allow, or the deny reason (with who was denied, for logs).
 */
record Verdict(Optional<DenyReason> deny, Identity identity, boolean tokenPresented) {
  Verdict {
    Objects.requireNonNull(deny, "deny");
    Objects.requireNonNull(identity, "identity");
  }

  static Verdict allow(Identity identity) {
    return new Verdict(Optional.empty(), identity, true);
  }

  static Verdict deny(DenyReason reason, Identity identity, boolean tokenPresented) {
    return new Verdict(Optional.of(reason), identity, tokenPresented);
  }
}
