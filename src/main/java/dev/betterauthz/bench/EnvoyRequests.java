package dev.betterauthz.bench;

import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import java.util.Optional;

/**
 * CheckRequests shaped as Envoy's ext_authz filter sends them: method, path with its query, host,
 * and the header map with lower-case names including the pseudo-headers {@code :method}, {@code
 * :path}, {@code :authority}, {@code :scheme}, plus {@code authorization} and {@code x-request-id}.
 */
public final class EnvoyRequests {
  public static final String HOST = "app.bench.local";

  private EnvoyRequests() {}

  /**
   * A GET request for {@code pathWithQuery} carrying {@code Bearer token} when a token is given.
   *
   * @param requestId the value of {@code x-request-id}
   */
  public static CheckRequest get(String pathWithQuery, Optional<String> token, String requestId) {
    AttributeContext.HttpRequest.Builder http =
        AttributeContext.HttpRequest.newBuilder()
            .setId(requestId.replaceAll("[^0-9]", "0"))
            .setMethod("GET")
            .setPath(pathWithQuery)
            .setHost(HOST)
            .setScheme("http")
            .setProtocol("HTTP/1.1")
            .putHeaders(":method", "GET")
            .putHeaders(":path", pathWithQuery)
            .putHeaders(":authority", HOST)
            .putHeaders(":scheme", "http")
            .putHeaders("user-agent", "better-authz-bench")
            .putHeaders("accept", "application/json")
            .putHeaders("x-forwarded-proto", "http")
            .putHeaders("x-request-id", requestId);
    token.ifPresent(t -> http.putHeaders("authorization", "Bearer " + t));
    return CheckRequest.newBuilder()
        .setAttributes(
            AttributeContext.newBuilder()
                .setRequest(AttributeContext.Request.newBuilder().setHttp(http)))
        .build();
  }
}
