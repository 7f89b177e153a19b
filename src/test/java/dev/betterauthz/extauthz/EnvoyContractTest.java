package dev.betterauthz.extauthz;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.betterauthz.decision.Decision;
import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.decision.Identity;
import dev.betterauthz.pipeline.AccessRequest;
import dev.betterauthz.pipeline.Authorizer;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Envoy side of the contract: realistic CheckRequests (as Envoy fills them) in, exact
 * CheckResponses out, over an in-process gRPC channel.
 */
class EnvoyContractTest {
  private Server server;
  private ManagedChannel channel;
  private final AtomicReference<AccessRequest> seen = new AtomicReference<>();

  private AuthorizationGrpc.AuthorizationBlockingStub start(Function<AccessRequest, Decision> f)
      throws IOException {
    Authorizer authorizer =
        request -> {
          seen.set(request);
          return CompletableFuture.completedFuture(f.apply(request));
        };
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new AuthorizationService(authorizer))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    return AuthorizationGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  static CheckRequest golden(String name) throws IOException {
    try (InputStream in = EnvoyContractTest.class.getResourceAsStream("/envoy/" + name)) {
      CheckRequest.Builder b = CheckRequest.newBuilder();
      JsonFormat.parser().merge(new String(in.readAllBytes(), StandardCharsets.UTF_8), b);
      return b.build();
    }
  }

  private static Decision.Allow allow() {
    return new Decision.Allow(
        "d-1",
        Optional.of("approve-leave"),
        new Identity(
            Optional.of("u1"), Optional.of("org1"), List.of("admin", "staff"), List.of("user")),
        Optional.empty());
  }

  @Test
  void passesTheRequestAsEnvoySentIt() throws IOException {
    start(r -> allow())
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(golden("check-request-allow.json"));
    AccessRequest r = seen.get();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/api/orgs/acme/leave/42/approve?notify=true");
    assertThat(r.header("authorization")).isPresent();
    assertThat(r.requestId()).contains("7f1c2d3e-0000-4000-8000-000000000001");
    assertThat(r.contextExtensions()).containsEntry("virtual_host", "app");
    assertThat(r.deadlineNanos()).isLessThan(Long.MAX_VALUE);
  }

  @Test
  void allowOverwritesIdentityHeadersAndRemovesEverySpoofedOne() throws IOException {
    CheckResponse response =
        start(r -> allow())
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(golden("check-request-allow.json"));
    assertThat(response.getStatus().getCode()).isZero();
    Map<String, HeaderValueOption> set =
        response.getOkResponse().getHeadersList().stream()
            .collect(Collectors.toMap(h -> h.getHeader().getKey(), h -> h));
    assertThat(set.keySet())
        .containsExactlyInAnyOrder(
            "x-auth-user-id",
            "x-auth-org-id",
            "x-auth-org-role",
            "x-auth-platform-role",
            "x-auth-decision-id");
    assertThat(set.values()).allSatisfy(h -> assertThat(h.getAppend().getValue()).isFalse());
    assertThat(set.values()).allSatisfy(h -> assertThat(h.hasAppend()).isTrue());
    assertThat(set.get("x-auth-user-id").getHeader().getValue()).isEqualTo("u1");
    assertThat(set.get("x-auth-org-role").getHeader().getValue()).isEqualTo("admin,staff");
    // Set headers are overwritten; every other client x-auth-* header (any spelling) is removed.
    assertThat(response.getOkResponse().getHeadersToRemoveList())
        .containsExactlyInAnyOrder("x-auth-admin", "x_auth_org_role");
    assertThat(response.getDynamicMetadata().getFieldsMap().get("user_id").getStringValue())
        .isEqualTo("u1");
    assertThat(response.getDynamicMetadata().getFieldsMap().get("decision_id").getStringValue())
        .isEqualTo("d-1");
    assertThat(response.getDynamicMetadata().getFieldsMap().get("route").getStringValue())
        .isEqualTo("approve-leave");
  }

  @Test
  void publicAllowRemovesAllClientIdentityHeaders() throws IOException {
    Decision.Allow anonymous =
        new Decision.Allow("d-2", Optional.of("health"), Identity.ANONYMOUS, Optional.empty());
    CheckResponse response =
        start(r -> anonymous)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(golden("check-request-allow.json"));
    assertThat(response.getOkResponse().getHeadersToRemoveList())
        .containsExactlyInAnyOrder("x-auth-user-id", "x-auth-admin", "x_auth_org_role");
  }

  @Test
  void unauthenticatedDenyCarriesAnRfc6750Challenge() throws IOException {
    Decision deny =
        new Decision.Deny(
            "d-3", Optional.empty(), DenyReason.EXPIRED_TOKEN, true, Identity.ANONYMOUS);
    CheckResponse response =
        start(r -> deny)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(golden("check-request-allow.json"));
    assertThat(response.getStatus().getCode()).isEqualTo(16);
    assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(401);
    Map<String, String> headers = deniedHeaders(response);
    assertThat(headers.get("www-authenticate"))
        .isEqualTo("Bearer realm=\"better-authz\", error=\"invalid_token\"");
    assertThat(response.getDeniedResponse().getBody())
        .isEqualTo(
            "{\"error\":\"unauthenticated\",\"reason\":\"expired_token\",\"decision_id\":\"d-3\"}");
  }

  @Test
  void missingTokenChallengeHasNoErrorCode() throws IOException {
    Decision deny =
        new Decision.Deny(
            "d-4", Optional.empty(), DenyReason.MISSING_TOKEN, false, Identity.ANONYMOUS);
    CheckResponse response =
        start(r -> deny)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(golden("check-request-allow.json"));
    assertThat(deniedHeaders(response).get("www-authenticate"))
        .isEqualTo("Bearer realm=\"better-authz\"");
  }

  @Test
  void forbiddenAndUnavailableDenies() throws IOException {
    Decision forbidden =
        new Decision.Deny("d-5", Optional.empty(), DenyReason.NOT_MEMBER, true, Identity.ANONYMOUS);
    CheckResponse f =
        start(r -> forbidden)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(golden("check-request-allow.json"));
    assertThat(f.getStatus().getCode()).isEqualTo(7);
    assertThat(f.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(403);
    assertThat(deniedHeaders(f)).doesNotContainKey("www-authenticate");
    stop();
    Decision down =
        new Decision.Deny(
            "d-6", Optional.empty(), DenyReason.BACKEND_UNAVAILABLE, true, Identity.ANONYMOUS);
    CheckResponse u =
        start(r -> down)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(golden("check-request-allow.json"));
    assertThat(u.getStatus().getCode()).isEqualTo(14);
    assertThat(u.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(503);
    assertThat(deniedHeaders(u)).containsEntry("retry-after", "1");
  }

  @Test
  void anAuthorizerThatThrowsStillGetsADenyNotAGrpcError() throws IOException {
    CheckResponse response =
        start(
                r -> {
                  throw new IllegalStateException("bug");
                })
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(golden("check-request-allow.json"));
    assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(503);
    assertThat(response.getDeniedResponse().getBody()).contains("\"reason\":\"internal_error\"");
  }

  @Test
  void anEmptyCheckRequestIsAnsweredNotFailed() throws IOException {
    CheckResponse response =
        start(
                r ->
                    new Decision.Deny(
                        "d-7", Optional.empty(), DenyReason.NO_ROUTE, false, Identity.ANONYMOUS))
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(CheckRequest.getDefaultInstance());
    assertThat(response.getDeniedResponse().getStatus().getCodeValue()).isEqualTo(403);
  }

  private static Map<String, String> deniedHeaders(CheckResponse response) {
    response
        .getDeniedResponse()
        .getHeadersList()
        .forEach(h -> assertThat(h.getAppend().getValue()).isFalse());
    return response.getDeniedResponse().getHeadersList().stream()
        .collect(Collectors.toMap(h -> h.getHeader().getKey(), h -> h.getHeader().getValue()));
  }
}
