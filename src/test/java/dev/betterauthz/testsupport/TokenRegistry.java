package dev.betterauthz.testsupport;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every credential a test creates (signed JWTs, session tokens, cookie values), so the suite-wide
 * {@link CredentialLeakListener} can check that none of them ever reached a log line. Tests that
 * mint a token call {@link #register(String)} and use the returned value. Thread-safe.
 */
public final class TokenRegistry {
  /** Shorter values would match ordinary text; they are not credentials worth tracking. */
  static final int MIN_LENGTH = 12;

  private static final Set<String> TOKENS = ConcurrentHashMap.newKeySet();

  private TokenRegistry() {}

  /** Records {@code token} as a secret that must never be logged; returns it for chaining. */
  public static String register(String token) {
    if (token != null && token.length() >= MIN_LENGTH) {
      TOKENS.add(token);
    }
    return token;
  }

  /** A snapshot of the registered tokens. */
  public static List<String> tokens() {
    return List.copyOf(TOKENS);
  }
}
