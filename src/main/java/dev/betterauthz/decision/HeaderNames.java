package dev.betterauthz.decision;

import java.util.List;
import java.util.Locale;

/** Names of the identity headers better-authz sets on allowed requests (the header contract). */
public final class HeaderNames {
  public static final String PREFIX = "x-auth-";
  public static final String USER_ID = "x-auth-user-id";
  public static final String ORG_ID = "x-auth-org-id";
  public static final String ORG_ROLE = "x-auth-org-role";
  public static final String PLATFORM_ROLE = "x-auth-platform-role";
  public static final String DECISION_ID = "x-auth-decision-id";

  /** Every header an allow sets; each overwrites any client value. */
  public static final List<String> IDENTITY =
      List.of(USER_ID, ORG_ID, ORG_ROLE, PLATFORM_ROLE, DECISION_ID);

  public static final String WWW_AUTHENTICATE = "www-authenticate";
  public static final String RETRY_AFTER = "retry-after";
  public static final String REQUEST_ID = "x-request-id";

  private HeaderNames() {}

  /**
   * True when a client-sent header name falls in the identity namespace in any spelling: case
   * ignored, and {@code _} treated as {@code -} (some proxies map one to the other; see
   * CVE-2025-64484).
   */
  public static boolean isIdentityNamespace(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
    return n.startsWith(PREFIX);
  }
}
