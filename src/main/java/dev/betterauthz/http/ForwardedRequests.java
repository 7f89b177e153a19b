package dev.betterauthz.http;

import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.pipeline.AccessRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Recovers the original request from a forward-auth call. Three sources name it: nginx's {@code
 * X-Original-Method}/{@code X-Original-URI}, Traefik's {@code X-Forwarded-Method}/{@code
 * X-Forwarded-Uri}, and for Envoy {@code http_service} the request line itself after the check
 * prefix ({@code GET /check/api/x} means {@code GET /api/x}).
 *
 * <p>NOTE: a gateway passes the client's own headers to the check, so a client can add the headers
 * of the <em>other</em> gateway. When more than one source is present they must agree, otherwise
 * the request is refused ({@link DenyReason#AMBIGUOUS_PATH}); so is a source header sent twice.
 * With no source at all the request is refused with {@link DenyReason#NO_ROUTE}: nothing can be
 * authorized without knowing what is asked for.
 */
final class ForwardedRequests {
  static final String ORIGINAL_METHOD = "x-original-method";
  static final String ORIGINAL_URI = "x-original-uri";
  static final String FORWARDED_METHOD = "x-forwarded-method";
  static final String FORWARDED_URI = "x-forwarded-uri";
  static final String FORWARDED_HOST = "x-forwarded-host";

  private static final Set<String> SOURCE_HEADERS =
      Set.of(ORIGINAL_METHOD, ORIGINAL_URI, FORWARDED_METHOD, FORWARDED_URI);
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authenticate",
          "proxy-authorization",
          "te",
          "trailer",
          "transfer-encoding",
          "upgrade");

  private ForwardedRequests() {}

  /** What a forward-auth call resolves to: a request to authorize, or a reason to refuse it. */
  sealed interface Resolution permits Resolved, Unresolvable {}

  /** The original request, ready for the authorizer. */
  record Resolved(AccessRequest request) implements Resolution {}

  /** The original request cannot be known for certain; deny with {@code reason}. */
  record Unresolvable(DenyReason reason) implements Resolution {}

  private record Target(String method, String uri) {}

  /**
   * Resolves a forward-auth call.
   *
   * @param method the check request's own method
   * @param uri the check request's raw request target (path and query, not decoded)
   * @param headers the check request's headers as received, any case, repeated entries separate
   * @param prefix the check prefix without a trailing slash ({@code /check}; empty for root)
   */
  static Resolution resolve(
      String method, String uri, Iterable<Map.Entry<String, String>> headers, String prefix) {
    Map<String, List<String>> byName = group(headers);
    for (String name : SOURCE_HEADERS) {
      if (byName.getOrDefault(name, List.of()).size() > 1) {
        return new Unresolvable(DenyReason.AMBIGUOUS_PATH);
      }
    }
    List<Target> targets = new ArrayList<>(3);
    if (uri.startsWith(prefix + "/")) {
      targets.add(new Target(method, uri.substring(prefix.length())));
    }
    source(byName, ORIGINAL_METHOD, ORIGINAL_URI, method).ifPresent(targets::add);
    source(byName, FORWARDED_METHOD, FORWARDED_URI, method).ifPresent(targets::add);
    if (targets.isEmpty()) {
      return new Unresolvable(DenyReason.NO_ROUTE);
    }
    Target target = targets.get(0);
    if (targets.stream().anyMatch(t -> !t.equals(target))) {
      return new Unresolvable(DenyReason.AMBIGUOUS_PATH);
    }
    if (!target.uri().startsWith("/")) {
      return new Unresolvable(DenyReason.NO_ROUTE);
    }
    return new Resolved(AccessRequest.of(target.method(), target.uri(), forwarded(byName)));
  }

  private static Optional<Target> source(
      Map<String, List<String>> byName, String methodHeader, String uriHeader, String fallback) {
    List<String> uri = byName.get(uriHeader);
    if (uri == null) {
      return Optional.empty();
    }
    List<String> method = byName.getOrDefault(methodHeader, List.of(fallback));
    return Optional.of(
        new Target(method.get(0).trim().toUpperCase(Locale.ROOT), uri.get(0).trim()));
  }

  /** The headers the authorizer sees: lower-case names, repeated ones joined with ",". */
  private static Map<String, String> forwarded(Map<String, List<String>> byName) {
    Set<String> connectionTokens = new java.util.HashSet<>();
    for (String value : byName.getOrDefault("connection", List.of())) {
      for (String token : value.split(",")) {
        connectionTokens.add(token.trim().toLowerCase(Locale.ROOT));
      }
    }
    Map<String, String> out = new HashMap<>();
    byName.forEach(
        (name, values) -> {
          if (!SOURCE_HEADERS.contains(name)
              && !HOP_BY_HOP.contains(name)
              && !connectionTokens.contains(name)) {
            out.put(name, String.join(",", values));
          }
        });
    // NOTE: Traefik calls the check with its own Host; the original one is X-Forwarded-Host.
    if (out.containsKey(FORWARDED_HOST)) {
      out.put("host", out.get(FORWARDED_HOST));
    }
    return out;
  }

  private static Map<String, List<String>> group(Iterable<Map.Entry<String, String>> headers) {
    Map<String, List<String>> byName = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : headers) {
      byName
          .computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
          .add(header.getValue());
    }
    return byName;
  }
}
