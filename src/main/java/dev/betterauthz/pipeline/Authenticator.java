package dev.betterauthz.pipeline;

import dev.betterauthz.token.TokenResult;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Finds the caller's credential in a request (Bearer JWT, or a Better Auth session token or cookie
 * when enabled) and verifies it. Completes with empty when the request carries no credential at
 * all; never completes exceptionally except with {@link
 * dev.betterauthz.tenancy.BackendUnavailableException} (a session lookup that could not be made).
 */
@FunctionalInterface
public interface Authenticator {
  CompletionStage<Optional<TokenResult>> authenticate(AccessRequest request);
}
