package dev.betterauthz.extauthz;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.betterauthz.decision.AllowHeaders;
import dev.betterauthz.decision.Decision;
import dev.betterauthz.decision.DenyResponses;
import dev.betterauthz.decision.HeaderNames;
import dev.betterauthz.decision.Identity;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.DeniedHttpResponse;
import io.envoyproxy.envoy.service.auth.v3.OkHttpResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.envoyproxy.envoy.type.v3.StatusCode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** {@link Decision} to Envoy's {@link CheckResponse}. */
public final class CheckResponses {
  private static final com.google.rpc.Status OK =
      com.google.rpc.Status.newBuilder().setCode(com.google.rpc.Code.OK_VALUE).build();

  private CheckResponses() {}

  /**
   * @param requestHeaders the request's headers (lower-case names), to find client-sent identity
   *     headers that must be removed
   */
  public static CheckResponse toResponse(Decision decision, Map<String, String> requestHeaders) {
    return decision instanceof Decision.Allow allow
        ? allow(allow, requestHeaders)
        : deny((Decision.Deny) decision);
  }

  private static CheckResponse allow(Decision.Allow allow, Map<String, String> requestHeaders) {
    OkHttpResponse.Builder ok = OkHttpResponse.newBuilder();
    Set<String> set = new HashSet<>();
    for (Map.Entry<String, String> h : AllowHeaders.of(allow)) {
      ok.addHeaders(overwrite(h.getKey(), h.getValue()));
      set.add(h.getKey());
    }
    // NOTE: Envoy applies removals after additions, so a name we set must not be listed here.
    for (String name : requestHeaders.keySet()) {
      if (HeaderNames.isIdentityNamespace(name) && !set.contains(name)) {
        ok.addHeadersToRemove(name);
      }
    }
    return CheckResponse.newBuilder()
        .setStatus(OK)
        .setOkResponse(ok)
        .setDynamicMetadata(metadata(allow))
        .build();
  }

  private static CheckResponse deny(Decision.Deny deny) {
    DeniedHttpResponse.Builder denied =
        DeniedHttpResponse.newBuilder()
            .setStatus(HttpStatus.newBuilder().setCode(statusCode(deny.reason().httpStatus())))
            .setBody(DenyResponses.body(deny));
    for (Map.Entry<String, String> h : DenyResponses.headers(deny)) {
      denied.addHeaders(overwrite(h.getKey(), h.getValue()));
    }
    return CheckResponse.newBuilder()
        .setStatus(com.google.rpc.Status.newBuilder().setCode(deny.reason().grpcCode()))
        .setDeniedResponse(denied)
        .setDynamicMetadata(metadata(deny))
        .build();
  }

  private static StatusCode statusCode(int http) {
    StatusCode code = StatusCode.forNumber(http);
    return code == null ? StatusCode.Forbidden : code;
  }

  /** {@code append=false} is the one setting every Envoy version reads as "overwrite". */
  private static HeaderValueOption overwrite(String name, String value) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
        .setAppend(BoolValue.of(false))
        .build();
  }

  /** Dynamic metadata for access logs, under {@code envoy.filters.http.ext_authz}. */
  static Struct metadata(Decision decision) {
    Struct.Builder s = Struct.newBuilder();
    put(s, "decision_id", decision.decisionId());
    decision.route().ifPresent(r -> put(s, "route", r));
    Identity id =
        decision instanceof Decision.Allow a ? a.identity() : ((Decision.Deny) decision).identity();
    id.userId().ifPresent(u -> put(s, "user_id", u));
    id.orgId().ifPresent(o -> put(s, "org_id", o));
    if (!id.orgRoles().isEmpty()) {
      put(s, "org_role", String.join(",", id.orgRoles()));
    }
    if (!id.platformRoles().isEmpty()) {
      put(s, "platform_role", String.join(",", id.platformRoles()));
    }
    if (decision instanceof Decision.Deny d) {
      put(s, "reason", d.reason().code());
    }
    if (decision instanceof Decision.Allow a && a.shadowedDeny().isPresent()) {
      put(s, "shadow_deny", a.shadowedDeny().get().code());
    }
    put(s, "decision", decision instanceof Decision.Allow ? "allow" : "deny");
    return s.build();
  }

  private static void put(Struct.Builder s, String key, String value) {
    s.putFields(key, Value.newBuilder().setStringValue(value).build());
  }
}
