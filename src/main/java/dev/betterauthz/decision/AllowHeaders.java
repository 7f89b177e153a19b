package dev.betterauthz.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The identity headers of an allow, shared by the gRPC and HTTP adapters so both set exactly the
 * same values. Each overwrites any client value; headers with nothing to say are not set (and the
 * adapters then remove any client-sent copy).
 */
public final class AllowHeaders {
  private AllowHeaders() {}

  /** Header name to value, names lower-case, values restricted to visible ASCII. */
  public static List<Map.Entry<String, String>> of(Decision.Allow allow) {
    Identity id = allow.identity();
    List<Map.Entry<String, String>> headers = new ArrayList<>(5);
    id.userId().ifPresent(u -> headers.add(Map.entry(HeaderNames.USER_ID, clean(u))));
    id.orgId().ifPresent(o -> headers.add(Map.entry(HeaderNames.ORG_ID, clean(o))));
    if (id.orgId().isPresent() && !id.orgRoles().isEmpty()) {
      headers.add(Map.entry(HeaderNames.ORG_ROLE, clean(String.join(",", id.orgRoles()))));
    }
    if (id.userId().isPresent() && !id.platformRoles().isEmpty()) {
      headers.add(
          Map.entry(HeaderNames.PLATFORM_ROLE, clean(String.join(",", id.platformRoles()))));
    }
    headers.add(Map.entry(HeaderNames.DECISION_ID, allow.decisionId()));
    return headers;
  }

  /**
   * Removes anything that could split or smuggle a header (CR, LF, other controls, non-ASCII).
   * Values come from verified tokens and Better Auth's tables, so this never changes a real one.
   */
  static String clean(String value) {
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = c >= 0x20 && c < 0x7f;
      if (!ok && out == null) {
        out = new StringBuilder(value.substring(0, i));
      } else if (ok && out != null) {
        out.append(c);
      }
    }
    return out == null ? value : out.toString();
  }
}
