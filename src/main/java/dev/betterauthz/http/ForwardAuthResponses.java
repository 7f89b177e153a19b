package dev.betterauthz.http;

import dev.betterauthz.decision.Decision;
import dev.betterauthz.decision.DenyResponses;
import dev.betterauthz.decision.HeaderNames;
import dev.betterauthz.decision.Identity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a {@link Decision} looks as a forward-auth answer. An allow is {@code 200} with the identity
 * headers, for the gateway to copy onto the upstream request, and {@value #HEADERS_TO_REMOVE}
 * naming every other client-sent {@code x-auth-*} header (Envoy {@code http_service} removes them;
 * nginx and Traefik need the configuration shown in {@code docs/gateways.md}). A deny is the
 * status, headers and body of {@link DenyResponses}, exactly as over gRPC.
 */
final class ForwardAuthResponses {
  /** The response header Envoy's {@code http_service} client reads to strip request headers. */
  static final String HEADERS_TO_REMOVE = "x-envoy-auth-headers-to-remove";

  private ForwardAuthResponses() {}

  /** One HTTP answer: status, lower-case headers in order, body (empty for an allow). */
  record Answer(int status, List<Map.Entry<String, String>> headers, String body) {}

  /**
   * The answer for {@code decision}.
   *
   * @param clientHeaderNames the names of the headers the check request carried, any case
   */
  static Answer toAnswer(Decision decision, Set<String> clientHeaderNames) {
    if (decision instanceof Decision.Allow allow) {
      return allow(allow, clientHeaderNames);
    }
    Decision.Deny deny = (Decision.Deny) decision;
    return new Answer(
        deny.reason().httpStatus(), DenyResponses.headers(deny), DenyResponses.body(deny));
  }

  private static Answer allow(Decision.Allow allow, Set<String> clientHeaderNames) {
    List<Map.Entry<String, String>> headers = identityHeaders(allow);
    Set<String> set = new LinkedHashSet<>();
    headers.forEach(h -> set.add(h.getKey()));
    Set<String> remove = new LinkedHashSet<>();
    for (String name : clientHeaderNames) {
      String lower = name.toLowerCase(Locale.ROOT);
      // NOTE: a name that is also set must not be listed: Envoy removes after it sets.
      if (HeaderNames.isIdentityNamespace(lower) && !set.contains(lower)) {
        remove.add(lower);
      }
    }
    if (!remove.isEmpty()) {
      headers.add(Map.entry(HEADERS_TO_REMOVE, String.join(",", remove)));
    }
    return new Answer(200, headers, "");
  }

  /** The identity headers of an allow; absent values are not sent (and so get removed). */
  static List<Map.Entry<String, String>> identityHeaders(Decision.Allow allow) {
    Identity identity = allow.identity();
    List<Map.Entry<String, String>> headers = new ArrayList<>(6);
    identity.userId().ifPresent(v -> headers.add(Map.entry(HeaderNames.USER_ID, v)));
    identity.orgId().ifPresent(v -> headers.add(Map.entry(HeaderNames.ORG_ID, v)));
    if (!identity.orgRoles().isEmpty()) {
      headers.add(Map.entry(HeaderNames.ORG_ROLE, String.join(",", identity.orgRoles())));
    }
    if (!identity.platformRoles().isEmpty()) {
      headers.add(Map.entry(HeaderNames.PLATFORM_ROLE, String.join(",", identity.platformRoles())));
    }
    headers.add(Map.entry(HeaderNames.DECISION_ID, allow.decisionId()));
    return headers;
  }
}
