package dev.betterauthz.extauthz;

import dev.betterauthz.pipeline.AccessRequest;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.grpc.Deadline;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Envoy's {@link CheckRequest} to the transport-free {@link AccessRequest}. */
public final class CheckRequests {
  private CheckRequests() {}

  /**
   * @param deadline the gRPC deadline of the call ({@code grpc-timeout}), or null
   */
  public static AccessRequest toAccessRequest(CheckRequest check, Deadline deadline) {
    AttributeContext.HttpRequest http = check.getAttributes().getRequest().getHttp();
    Map<String, String> headers = headers(http);
    String method =
        http.getMethod().isEmpty() ? headers.getOrDefault(":method", "") : http.getMethod();
    String path = http.getPath().isEmpty() ? headers.getOrDefault(":path", "") : http.getPath();
    long deadlineNanos = Long.MAX_VALUE;
    if (deadline != null) {
      deadlineNanos = System.nanoTime() + deadline.timeRemaining(TimeUnit.NANOSECONDS);
    }
    return new AccessRequest(
        method, path, headers, check.getAttributes().getContextExtensionsMap(), deadlineNanos);
  }

  /**
   * The header map, names lower-cased. With {@code encode_raw_headers: true} Envoy sends {@code
   * header_map} instead of {@code headers}; repeated headers are then joined with a comma, as Envoy
   * does in the plain map, so both shapes decide the same.
   */
  static Map<String, String> headers(AttributeContext.HttpRequest http) {
    if (http.getHeaderMap().getHeadersCount() == 0) {
      Map<String, String> out = new HashMap<>(http.getHeadersCount() * 2);
      http.getHeadersMap()
          .forEach((k, v) -> out.merge(k.toLowerCase(Locale.ROOT), v, CheckRequests::join));
      return out;
    }
    Map<String, String> out = new HashMap<>();
    for (HeaderValue h : http.getHeaderMap().getHeadersList()) {
      String value =
          h.getRawValue().isEmpty()
              ? h.getValue()
              : h.getRawValue().toString(StandardCharsets.UTF_8);
      out.merge(h.getKey().toLowerCase(Locale.ROOT), value, CheckRequests::join);
    }
    return out;
  }

  private static String join(String a, String b) {
    return a + "," + b;
  }
}
