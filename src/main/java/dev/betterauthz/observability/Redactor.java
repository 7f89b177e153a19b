package dev.betterauthz.observability;

import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks anything in free text that looks like a credential: compact JWS/JWE ({@code eyJ...}, also
 * cut short), {@code Bearer}/{@code Basic} credentials, session-token cookies and {@code
 * token=}/{@code password=}-style parameters, and passwords in URLs. Used for every
 * caller-controlled string that reaches a log (paths, request ids) and by the JSON layout on every
 * line. Text without a credential comes back as the same instance, after a cheap scan. Stateless
 * and thread-safe.
 */
public final class Redactor {
  /** What replaces a masked value. */
  public static final String MASK = "[REDACTED]";

  // Base64url of '{"' is "eyJ"; a JWS is header.payload.signature, a JWE has five parts. A lone
  // "eyJ..." segment followed by a dot is enough: even a truncated token leaks its claims.
  private static final Pattern JOSE = Pattern.compile("eyJ[A-Za-z0-9_-]{2,}(?:\\.[A-Za-z0-9_-]*)+");
  // A credential is a b64token (RFC 6750); an auth-param such as realm="..." of a challenge is not.
  private static final Pattern AUTH_SCHEME =
      Pattern.compile("(?i)\\b(bearer|basic)(\\s+|%20|\\+)(?![A-Za-z_]+=\")[A-Za-z0-9._~+/%-]+=*");
  private static final Pattern KEY_VALUE =
      Pattern.compile(
          "(?i)([A-Za-z0-9_.-]*(?:session_token|session_data|access_token|refresh_token|id_token"
              + "|token|password|passwd|secret|api_key|apikey)\"?\\s*[=:]\\s*\"?)([^\\s\"&;,]+)");
  private static final Pattern URL_PASSWORD =
      Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^:/@\\s]*):([^@/\\s]+)@");

  private static final String[] NEEDLES = {
    "bearer", "basic", "token", "pass", "secret", "api_key", "apikey", "session_data"
  };

  private Redactor() {}

  /** {@code text} with every credential-looking part replaced by {@link #MASK}; null stays null. */
  public static String redact(String text) {
    if (text == null || !suspicious(text)) {
      return text;
    }
    String out = replace(JOSE, text, m -> MASK);
    out = replace(AUTH_SCHEME, out, m -> m.group(1) + " " + MASK);
    out = replace(KEY_VALUE, out, m -> m.group(1) + MASK);
    return replace(URL_PASSWORD, out, m -> m.group(1) + ":" + MASK + "@");
  }

  /** A fast pre-check so ordinary lines skip the regular expressions. */
  static boolean suspicious(String text) {
    if (text.contains("eyJ") || (text.contains("://") && text.indexOf('@') >= 0)) {
      return true;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    for (String needle : NEEDLES) {
      if (lower.contains(needle)) {
        return true;
      }
    }
    return false;
  }

  private static String replace(
      Pattern pattern, String text, Function<Matcher, String> replacement) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    do {
      m.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(m)));
    } while (m.find());
    m.appendTail(out);
    return out.toString();
  }
}
