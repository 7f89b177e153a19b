package dev.betterauthz.pipeline;

/** Checks on values that end up in identity headers or cache keys. */
final class HeaderValues {
  static final int MAX_LENGTH = 256;

  private HeaderValues() {}

  /**
   * True for a non-empty value of visible ASCII without spaces or {@code :} (ids, slugs and role
   * names never contain them; {@code :} would break the {@code perm:<userId>:<orgId>} key).
   */
  static boolean isSafe(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == ':') {
        return false;
      }
    }
    return true;
  }
}
