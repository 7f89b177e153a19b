package dev.betterauthz.extauthz;

import dev.betterauthz.decision.Decision;
import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.decision.Identity;
import dev.betterauthz.pipeline.AccessRequest;
import dev.betterauthz.pipeline.Authorizer;
import dev.betterauthz.pipeline.DecisionIds;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code envoy.service.auth.v3.Authorization/Check}. Always answers with a {@link CheckResponse},
 * never a gRPC error: a gRPC error would leave the outcome to Envoy's {@code failure_mode_allow}
 * and {@code status_on_error} (see docs/adr/0001). Runs on the transport thread and never blocks.
 */
public final class AuthorizationService extends AuthorizationGrpc.AuthorizationImplBase {
  private static final Logger log = LoggerFactory.getLogger(AuthorizationService.class);

  private final Authorizer authorizer;
  private final AtomicLong inFlight = new AtomicLong();

  public AuthorizationService(Authorizer authorizer) {
    this.authorizer = authorizer;
  }

  /** Checks being decided right now (drained before shutdown). */
  public long inFlight() {
    return inFlight.get();
  }

  @Override
  public void check(CheckRequest request, StreamObserver<CheckResponse> responses) {
    inFlight.incrementAndGet();
    Map<String, String> headers = Map.of();
    try {
      AccessRequest access =
          CheckRequests.toAccessRequest(request, Context.current().getDeadline());
      Map<String, String> requestHeaders = access.headers();
      headers = requestHeaders;
      authorizer
          .authorize(access)
          .whenComplete(
              (decision, error) ->
                  respond(
                      responses, decision == null ? internal(error) : decision, requestHeaders));
    } catch (RuntimeException | Error e) {
      respond(responses, internal(e), headers);
    }
  }

  private void respond(
      StreamObserver<CheckResponse> responses, Decision decision, Map<String, String> headers) {
    try {
      responses.onNext(CheckResponses.toResponse(decision, headers));
      responses.onCompleted();
    } catch (RuntimeException e) {
      // The call was cancelled or the deadline passed: nothing more can be sent.
      log.debug("could not send the check response: {}", e.toString());
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private static Decision internal(Throwable error) {
    log.error("check failed before a decision was made; denying (fail closed)", error);
    return new Decision.Deny(
        DecisionIds.next(), Optional.empty(), DenyReason.INTERNAL_ERROR, false, Identity.ANONYMOUS);
  }
}
