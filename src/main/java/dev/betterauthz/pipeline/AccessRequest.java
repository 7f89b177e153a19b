package dev.betterauthz.pipeline;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One request to authorize, independent of the transport it came over (gRPC ext_authz or HTTP
 * forward-auth). Built at the adapter boundary; the stages never see Envoy or Vert.x types.
 *
 * @param method the HTTP method, upper-case
 * @param path the raw request target as the gateway saw it, query string included, not decoded
 * @param headers request headers, names lower-case; repeated headers joined with {@code ","}
 * @param contextExtensions Envoy {@code context_extensions} (empty for HTTP forward-auth)
 * @param deadlineNanos a {@link System#nanoTime()} instant by which the caller needs an answer, or
 *     {@link Long#MAX_VALUE} when it gave none
 */
public record AccessRequest(
    String method,
    String path,
    Map<String, String> headers,
    Map<String, String> contextExtensions,
    long deadlineNanos) {

  public AccessRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    method = method.toUpperCase(Locale.ROOT);
    headers = Map.copyOf(headers);
    contextExtensions = Map.copyOf(contextExtensions);
  }

  /** A request without extensions or deadline; convenient for HTTP and tests. */
  public static AccessRequest of(String method, String path, Map<String, String> headers) {
    return new AccessRequest(method, path, headers, Map.of(), Long.MAX_VALUE);
  }

  /** A header by its lower-case name. */
  public Optional<String> header(String lowerCaseName) {
    return Optional.ofNullable(headers.get(lowerCaseName));
  }

  /** The gateway's request id ({@code x-request-id}), if any. */
  public Optional<String> requestId() {
    return header("x-request-id");
  }
}
