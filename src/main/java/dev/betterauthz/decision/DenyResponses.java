package dev.betterauthz.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a {@link Decision.Deny} looks on the wire, shared by the gRPC and HTTP adapters so both
 * answer identically: status, headers (RFC 6750 challenge, {@code Retry-After}) and JSON body.
 */
public final class DenyResponses {
  public static final String REALM = "better-authz";
  public static final String CONTENT_TYPE = "application/json";
  static final String RETRY_AFTER_SECONDS = "1";

  private DenyResponses() {}

  /** Response headers for a deny, in order; names are lower-case. */
  public static List<Map.Entry<String, String>> headers(Decision.Deny deny) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(3);
    headers.add(Map.entry("content-type", CONTENT_TYPE));
    DenyReason reason = deny.reason();
    if (reason.isAuthentication()) {
      String challenge =
          deny.tokenPresented()
              ? "Bearer realm=\"" + REALM + "\", error=\"invalid_token\""
              : "Bearer realm=\"" + REALM + "\"";
      headers.add(Map.entry(HeaderNames.WWW_AUTHENTICATE, challenge));
    }
    if (reason.status() == DenyReason.Status.UNAVAILABLE) {
      headers.add(Map.entry(HeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS));
    }
    headers.add(Map.entry(HeaderNames.DECISION_ID, deny.decisionId()));
    return headers;
  }

  /**
   * The JSON body {@code {"error","reason","decision_id"}}. All values come from a fixed vocabulary
   * or a server-made id, so no escaping of caller input is ever needed.
   */
  public static String body(Decision.Deny deny) {
    DenyReason reason = deny.reason();
    return "{\"error\":\""
        + reason.message()
        + "\",\"reason\":\""
        + reason.code()
        + "\",\"decision_id\":\""
        + deny.decisionId()
        + "\"}";
  }
}
