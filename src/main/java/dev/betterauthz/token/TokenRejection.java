package dev.betterauthz.token;

import dev.betterauthz.decision.DenyReason;

/**
 * Internal control flow of {@link Jose4jTokenVerifier}: a check that failed, turned into a {@link
 * TokenResult.Invalid} before it leaves the package. Carries no stack trace (it is an expected
 * outcome, and cheap) and never the token.
 */
final class TokenRejection extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient DenyReason reason;

  TokenRejection(DenyReason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  TokenResult toResult() {
    return TokenResult.invalid(reason, getMessage());
  }
}
