package dev.betterauthz.token;

import dev.betterauthz.decision.DenyReason;
import java.util.Objects;

/** The outcome of verifying a credential: valid, or invalid with a 401 reason. */
public sealed interface TokenResult permits TokenResult.Valid, TokenResult.Invalid {

  record Valid(VerifiedToken token) implements TokenResult {
    public Valid {
      Objects.requireNonNull(token, "token");
    }
  }

  /**
   * @param reason always an authentication reason (401)
   * @param detail for DEBUG logs only; never contains the token
   */
  record Invalid(DenyReason reason, String detail) implements TokenResult {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  static TokenResult invalid(DenyReason reason, String detail) {
    return new Invalid(reason, detail);
  }
}
