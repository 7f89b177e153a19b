package dev.betterauthz.policy;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Percent-encoding primitives shared by path normalization and path-parameter decoding. */
final class Escapes {
  private Escapes() {}

  /** The value of a hex digit, or -1. */
  static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  /** The byte encoded by {@code %XX} at {@code at} (which holds the '%'), or -1 if malformed. */
  static int escapedByte(CharSequence s, int at, int end) {
    if (at + 2 >= end) {
      return -1;
    }
    int hi = hexValue(s.charAt(at + 1));
    int lo = hexValue(s.charAt(at + 2));
    return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
  }

  /** Strict UTF-8 (no overlong forms, no surrogates), or null when the bytes are not UTF-8. */
  static String decodeUtf8(byte[] bytes, int length) {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, 0, length));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** True for characters no identifier may carry: C0/C1 controls and DEL. */
  static boolean isControl(int c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
  }

  /**
   * Percent-decodes one path segment {@code s[start, end)} as UTF-8. Returns null when the encoding
   * is invalid or the value holds a slash, a backslash or a control character, any of which would
   * let one segment pose as several.
   */
  static String decodeSegment(String s, int start, int end) {
    byte[] bytes = null;
    int length = 0;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c == '%' && bytes == null) {
        bytes = new byte[end - start];
        for (int j = start; j < i; j++) {
          bytes[length++] = (byte) s.charAt(j);
        }
      }
      if (c >= 0x80 || c == '/' || c == '\\' || isControl(c)) {
        return null;
      }
      if (bytes != null) {
        if (c == '%') {
          int b = escapedByte(s, i, end);
          if (b < 0) {
            return null;
          }
          bytes[length++] = (byte) b;
          i += 2;
        } else {
          bytes[length++] = (byte) c;
        }
      }
    }
    if (bytes == null) {
      return s.substring(start, end);
    }
    String decoded = decodeUtf8(bytes, length);
    if (decoded == null) {
      return null;
    }
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c == '/' || c == '\\' || isControl(c)) {
        return null;
      }
    }
    return decoded;
  }
}
