package dev.betterauthz.policy;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the raw request target the gateway saw into the one path routes are matched against, or
 * refuses it as ambiguous. A path is ambiguous when two reasonable HTTP stacks could read it as
 * different resources; we deny those rather than guess which one the upstream will serve.
 *
 * <p>Rules, applied in this order (details and the matching Envoy settings are in {@code
 * docs/path-normalization.md}):
 *
 * <ol>
 *   <li>Strip the query ({@code ?...}) and fragment ({@code #...}), whichever comes first.
 *   <li>The rest must start with {@code /} (no {@code *}, no absolute-form URI, not empty).
 *   <li>Percent-decode only unreserved characters ({@code ALPHA DIGIT - . _ ~}, RFC 3986 §6.2.2.2,
 *       like Envoy's {@code normalize_path}); other escapes stay encoded with upper-case hex
 *       digits.
 *   <li>Ambiguous: an encoded slash or backslash ({@code %2F}, {@code %5C}); an invalid escape; an
 *       encoded control character or {@code %00}; a double-encoded escape ({@code %25} followed by
 *       two hex digits); encoded bytes that are not strict UTF-8 (overlong forms such as {@code
 *       %C0%AE}) or that decode to a control or format character or a look-alike of ASCII (NFKC
 *       folds it to ASCII, e.g. U+FF0E fullwidth full stop).
 *   <li>Ambiguous: any raw character outside RFC 3986 {@code pchar} and {@code /}: controls, space,
 *       backslash, non-ASCII, {@code " < > [ ] ^ ` { | }}; and {@code ;} (path parameters, which
 *       servlet containers strip before matching).
 *   <li>Merge repeated slashes.
 *   <li>Remove {@code .} and {@code ..} segments (RFC 3986 §5.2.4); a {@code ..} that would climb
 *       above the root is ambiguous, and so is a path with both repeated slashes and a {@code ..}
 *       segment (proxies disagree on which of the two steps comes first).
 *   <li>Keep a trailing slash; keep case.
 * </ol>
 *
 * <p>Stateless and thread-safe. A path that needs none of these steps is returned without copying
 * more than the query strip.
 */
public final class RequestPaths {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  private static final boolean[] PCHAR = new boolean[128];

  static {
    String allowed =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,=:@/";
    for (char c : allowed.toCharArray()) {
      PCHAR[c] = true;
    }
  }

  private RequestPaths() {}

  /**
   * @param rawTarget {@code :path} as sent by Envoy (query string included, not decoded)
   * @return the normalized path, or empty when the target is ambiguous and must be denied
   */
  public static Optional<String> normalize(String rawTarget) {
    if (rawTarget == null) {
      return Optional.empty();
    }
    int end = pathEnd(rawTarget);
    if (end == 0 || rawTarget.charAt(0) != '/') {
      return Optional.empty();
    }
    boolean simple = true;
    for (int i = 0; i < end; i++) {
      char c = rawTarget.charAt(i);
      if (c == '%') {
        simple = false;
      } else if (c >= 128 || !PCHAR[c]) {
        return Optional.empty();
      } else if (c == '/' && i > 0 && rawTarget.charAt(i - 1) == '/') {
        simple = false;
      } else if (c == '.' && isDotSegmentStart(rawTarget, i, end)) {
        simple = false;
      }
    }
    if (simple) {
      return Optional.of(end == rawTarget.length() ? rawTarget : rawTarget.substring(0, end));
    }
    String decoded = decodeUnreserved(rawTarget, end);
    return decoded == null ? Optional.empty() : Optional.ofNullable(removeDotSegments(decoded));
  }

  private static int pathEnd(String raw) {
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '?' || c == '#') {
        return i;
      }
    }
    return raw.length();
  }

  /** True when the '.' at {@code i} starts a "." or ".." segment. */
  private static boolean isDotSegmentStart(String s, int i, int end) {
    if (s.charAt(i - 1) != '/') {
      return false;
    }
    int next = i + 1;
    if (next < end && s.charAt(next) == '.') {
      next++;
    }
    return next == end || s.charAt(next) == '/';
  }

  /** Decodes unreserved escapes, upper-cases the others; null when the target is ambiguous. */
  private static String decodeUnreserved(String raw, int end) {
    StringBuilder out = new StringBuilder(end);
    int i = 0;
    while (i < end) {
      char c = raw.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      int b = Escapes.escapedByte(raw, i, end);
      if (b < 0 || b == '/' || b == '\\' || Escapes.isControl(b) && b < 0x80) {
        return null;
      }
      if (b >= 0x80) {
        i = appendUtf8Run(raw, i, end, out);
        if (i < 0) {
          return null;
        }
        continue;
      }
      if (b < 128 && isUnreserved((char) b)) {
        out.append((char) b);
      } else {
        appendEscape(out, b);
      }
      i += 3;
    }
    // NOTE: checked on the output, so "%25%41A" (which decodes to "%25AA") is caught too.
    for (int at = out.indexOf("%25"); at >= 0; at = out.indexOf("%25", at + 1)) {
      if (isDoubleEncoded(out, at)) {
        return null;
      }
    }
    return out.toString();
  }

  /** {@code %25} followed by two hex digits: an escape that decodes to another escape. */
  private static boolean isDoubleEncoded(CharSequence path, int at) {
    return at + 4 < path.length()
        && Escapes.hexValue(path.charAt(at + 3)) >= 0
        && Escapes.hexValue(path.charAt(at + 4)) >= 0;
  }

  private static boolean isUnreserved(char c) {
    return PCHAR[c]
        && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~');
  }

  /**
   * Validates the run of non-ASCII escapes starting at {@code start} as strict UTF-8 of safe
   * characters and appends it re-encoded; returns the index after the run, or -1 if ambiguous.
   */
  private static int appendUtf8Run(String raw, int start, int end, StringBuilder out) {
    byte[] bytes = new byte[(end - start) / 3];
    int length = 0;
    int i = start;
    int b;
    while (i < end && raw.charAt(i) == '%' && (b = Escapes.escapedByte(raw, i, end)) >= 0x80) {
      bytes[length++] = (byte) b;
      i += 3;
    }
    String text = Escapes.decodeUtf8(bytes, length);
    if (text == null || !text.codePoints().allMatch(RequestPaths::isSafeNonAscii)) {
      return -1;
    }
    for (int k = 0; k < length; k++) {
      appendEscape(out, bytes[k] & 0xff);
    }
    return i;
  }

  private static boolean isSafeNonAscii(int codePoint) {
    int type = Character.getType(codePoint);
    if (type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.SURROGATE
        || type == Character.PRIVATE_USE
        || type == Character.UNASSIGNED
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SPACE_SEPARATOR) {
      return false;
    }
    String folded = Normalizer.normalize(Character.toString(codePoint), Normalizer.Form.NFKC);
    return folded.chars().allMatch(c -> c >= 0x80);
  }

  private static void appendEscape(StringBuilder out, int b) {
    out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
  }

  /** Merges slashes and resolves dot segments; null when ambiguous. */
  private static String removeDotSegments(String path) {
    String[] parts = path.substring(1).split("/", -1);
    List<String> kept = new ArrayList<>(parts.length);
    boolean merged = false;
    boolean climbed = false;
    boolean trailingSlash = false;
    for (int k = 0; k < parts.length; k++) {
      String part = parts[k];
      boolean last = k == parts.length - 1;
      if (part.isEmpty()) {
        trailingSlash = last;
        merged |= !last;
      } else if (part.equals(".")) {
        trailingSlash = last;
      } else if (part.equals("..")) {
        if (kept.isEmpty()) {
          return null;
        }
        kept.remove(kept.size() - 1);
        climbed = true;
        trailingSlash = last;
      } else {
        kept.add(part);
      }
    }
    if (merged && climbed) {
      return null;
    }
    String joined = "/" + String.join("/", kept);
    return trailingSlash && !kept.isEmpty() ? joined + "/" : joined;
  }
}
