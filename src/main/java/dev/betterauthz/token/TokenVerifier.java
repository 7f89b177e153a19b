package dev.betterauthz.token;

import java.util.concurrent.CompletionStage;

/**
 * Verifies a compact JWS (the value after {@code Bearer }). A cache hit completes immediately; a
 * miss may complete later (signature work off the event loop, or an unknown-{@code kid} JWKS
 * refresh). Never completes exceptionally: failures are {@link TokenResult.Invalid}. Thread-safe.
 */
@FunctionalInterface
public interface TokenVerifier {
  CompletionStage<TokenResult> verify(String compactJws);
}
