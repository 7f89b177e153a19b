package dev.betterauthz.app;

import dev.betterauthz.extauthz.AuthorizationService;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a few thousand checks through the real service before the server reports SERVING, so the
 * first checks Envoy sends (200 ms default timeout) do not pay for class loading and the JIT. The
 * requests carry no usable credential, so warm-up never touches the JWKS or a database.
 */
final class Warmup {
  private static final Logger log = LoggerFactory.getLogger(Warmup.class);
  static final int ROUNDS = 3_000;

  private Warmup() {}

  static void run(AuthorizationService service) throws InterruptedException {
    long begin = System.nanoTime();
    CheckRequest[] requests = {
      request("/__better-authz/warmup", null),
      request("/__better-authz/warmup?x=1", "Bearer not.a.jwt"),
      request("/__better-authz/%2e%2e/warmup", "Basic dXNlcjpwYXNz"),
    };
    CountDownLatch done = new CountDownLatch(ROUNDS);
    StreamObserver<CheckResponse> sink =
        new StreamObserver<>() {
          @Override
          public void onNext(CheckResponse value) {}

          @Override
          public void onError(Throwable t) {
            done.countDown();
          }

          @Override
          public void onCompleted() {
            done.countDown();
          }
        };
    for (int i = 0; i < ROUNDS; i++) {
      service.check(requests[i % requests.length], sink);
    }
    boolean finished = done.await(10, TimeUnit.SECONDS);
    log.info(
        "warm-up: {} checks in {} ms{}",
        ROUNDS,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
        finished ? "" : " (not all answered)");
  }

  private static CheckRequest request(String path, String authorization) {
    AttributeContext.HttpRequest.Builder http =
        AttributeContext.HttpRequest.newBuilder()
            .setMethod("GET")
            .setPath(path)
            .setHost("warmup.local")
            .putHeaders(":method", "GET")
            .putHeaders(":path", path)
            .putHeaders(":authority", "warmup.local")
            .putHeaders("x-request-id", "warmup")
            .putHeaders("x-auth-user-id", "spoofed");
    if (authorization != null) {
      http.putHeaders("authorization", authorization);
    }
    return CheckRequest.newBuilder()
        .setAttributes(
            AttributeContext.newBuilder()
                .setRequest(AttributeContext.Request.newBuilder().setHttp(http)))
        .build();
  }
}
