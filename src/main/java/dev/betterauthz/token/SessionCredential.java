package dev.betterauthz.token;

import java.util.Objects;

/**
 * A Better Auth session credential as the client presented it, before any check: the value of the
 * session cookie, or the value after {@code Bearer } when the bearer plugin is used. The value is
 * still URL-encoded and signed as it arrived ({@code token.signature}); for a bearer it may also be
 * the raw token. {@link SessionTokenVerifier} checks it. Immutable.
 *
 * <p>{@link #toString()} never shows the value, so a credential may appear in a log statement
 * without leaking the token.
 *
 * @param value the presented value, never null
 * @param source how the value came, which decides what forms are accepted
 */
public record SessionCredential(String value, Source source) {

  /** Where the credential was found. */
  public enum Source {
    /** The {@code <prefix>.session_token} cookie: always signed. */
    COOKIE,
    /** {@code Authorization: Bearer}: signed, or the raw token unless signatures are required. */
    BEARER
  }

  public SessionCredential {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
  }

  /** A credential taken from the session cookie's value. */
  public static SessionCredential cookie(String value) {
    return new SessionCredential(value, Source.COOKIE);
  }

  /** A credential taken from the value after {@code Bearer }. */
  public static SessionCredential bearer(String value) {
    return new SessionCredential(value, Source.BEARER);
  }

  @Override
  public String toString() {
    return "SessionCredential[source=" + source + ", value=<redacted>]";
  }
}
