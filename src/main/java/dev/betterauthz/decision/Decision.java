package dev.betterauthz.decision;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one check. Expected outcomes are values, never exceptions.
 *
 * <p>Every decision carries its {@code decisionId} (the same id goes in the log line, the deny
 * body, the {@code x-auth-decision-id} header and Envoy dynamic metadata) and the name of the
 * policy route that matched, if any.
 */
public sealed interface Decision permits Decision.Allow, Decision.Deny {

  String decisionId();

  Optional<String> route();

  /**
   * The request may pass; {@code identity} becomes the upstream's identity headers.
   *
   * @param shadowedDeny for a route in shadow mode, the deny that enforcement would have given
   */
  record Allow(
      String decisionId,
      Optional<String> route,
      Identity identity,
      Optional<DenyReason> shadowedDeny)
      implements Decision {
    public Allow {
      Objects.requireNonNull(decisionId, "decisionId");
      Objects.requireNonNull(route, "route");
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(shadowedDeny, "shadowedDeny");
    }
  }

  /**
   * The request is refused.
   *
   * @param tokenPresented whether the caller sent a credential (selects the RFC 6750 challenge)
   * @param identity who was denied, as far as known (for logs; never sent to the client)
   */
  record Deny(
      String decisionId,
      Optional<String> route,
      DenyReason reason,
      boolean tokenPresented,
      Identity identity)
      implements Decision {
    public Deny {
      Objects.requireNonNull(decisionId, "decisionId");
      Objects.requireNonNull(route, "route");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(identity, "identity");
    }
  }
}
