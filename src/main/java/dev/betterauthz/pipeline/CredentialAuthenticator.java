package dev.betterauthz.pipeline;

import static java.util.concurrent.CompletableFuture.completedFuture;

import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.token.BearerTokens;
import dev.betterauthz.token.SessionCookies;
import dev.betterauthz.token.SessionCredential;
import dev.betterauthz.token.SessionTokenVerifier;
import dev.betterauthz.token.TokenResult;
import dev.betterauthz.token.TokenVerifier;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Finds the credential in a request and sends it to the right verifier: a Bearer JWT to the JWT
 * verifier; with Better Auth sessions enabled, a Bearer value shaped like a session token, or (when
 * there is no Authorization header) the session cookie, to the session verifier.
 */
public final class CredentialAuthenticator implements Authenticator {
  private final TokenVerifier jwt;
  private final Optional<SessionTokenVerifier> sessions;
  private final String cookiePrefix;

  public CredentialAuthenticator(
      TokenVerifier jwt, Optional<SessionTokenVerifier> sessions, String cookiePrefix) {
    this.jwt = jwt;
    this.sessions = sessions;
    this.cookiePrefix = cookiePrefix;
  }

  @Override
  public CompletionStage<Optional<TokenResult>> authenticate(AccessRequest request) {
    BearerTokens.Parsed parsed = BearerTokens.parse(request.headers().get("authorization"));
    if (parsed instanceof BearerTokens.Malformed) {
      return invalid(DenyReason.MALFORMED_TOKEN, "malformed authorization header");
    }
    if (parsed instanceof BearerTokens.Present present) {
      String token = present.token();
      if (sessions.isPresent() && SessionCookies.looksLikeSessionToken(token)) {
        return session(SessionCredential.bearer(token));
      }
      return jwt.verify(token).thenApply(Optional::of);
    }
    if (sessions.isPresent()) {
      String cookies = request.headers().get("cookie");
      Optional<String> cookie =
          cookies == null ? Optional.empty() : SessionCookies.find(cookies, cookiePrefix);
      if (cookie.isPresent()) {
        return session(SessionCredential.cookie(cookie.get()));
      }
    }
    return completedFuture(Optional.empty());
  }

  private CompletionStage<Optional<TokenResult>> session(SessionCredential credential) {
    return sessions.orElseThrow().verify(credential).thenApply(Optional::of);
  }

  private static CompletionStage<Optional<TokenResult>> invalid(DenyReason reason, String detail) {
    return completedFuture(Optional.of(new TokenResult.Invalid(reason, detail)));
  }
}
