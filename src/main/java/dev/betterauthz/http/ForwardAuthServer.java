package dev.betterauthz.http;

import dev.betterauthz.config.AppConfig;
import dev.betterauthz.decision.Decision;
import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.decision.Identity;
import dev.betterauthz.pipeline.Authorizer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP listener on {@code AUTHZ_HTTP_PORT}: {@code /check} (exactly, for nginx and Traefik; and
 * {@code <prefix>/<original path>} for Envoy {@code http_service}; any method), {@code /healthz},
 * {@code /readyz} and {@code /metrics}. Runs on the Vert.x event loop and never blocks it; the
 * authorizer's stage is awaited asynchronously.
 *
 * <p>Fail closed: a check never gets an answer other than the decision's, and any exception, a
 * failed stage or a null decision becomes a 503 deny with reason {@code internal_error}.
 */
public final class ForwardAuthServer {
  private static final Logger log = LoggerFactory.getLogger(ForwardAuthServer.class);
  static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final AppConfig.ServerConfig server;
  private final Authorizer authorizer;
  private final HealthProbe health;
  private final Supplier<String> metricsScrape;
  private final String prefix;
  private volatile HttpServer http;

  public ForwardAuthServer(
      Vertx vertx,
      AppConfig.ServerConfig server,
      Authorizer authorizer,
      HealthProbe health,
      Supplier<String> metricsScrape) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.server = Objects.requireNonNull(server, "server");
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.health = Objects.requireNonNull(health, "health");
    this.metricsScrape = Objects.requireNonNull(metricsScrape, "metricsScrape");
    this.prefix = normalizePrefix(Objects.requireNonNull(server.httpCheckPrefix(), "prefix"));
  }

  /** Starts listening on {@code bindAddress:httpPort}; completes with the bound port. */
  public CompletionStage<Integer> start() {
    HttpServerOptions options =
        new HttpServerOptions().setHost(server.bindAddress()).setPort(server.httpPort());
    HttpServer created = vertx.createHttpServer(options).requestHandler(this::handle);
    return created
        .listen()
        .map(
            s -> {
              http = s;
              return s.actualPort();
            })
        .toCompletionStage();
  }

  /** Stops listening; completes at once when the server was never started. */
  public CompletionStage<Void> stop() {
    HttpServer current = http;
    return current == null
        ? Future.<Void>succeededFuture().toCompletionStage()
        : current.close().toCompletionStage();
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    switch (path) {
      case "/healthz" -> json(request.response(), 200, new JsonObject().put("status", "live"));
      case "/readyz" -> ready(request.response());
      case "/metrics" -> metrics(request.response());
      default -> {
        if (path.equals(prefix) || path.startsWith(prefix + "/")) {
          check(request);
        } else {
          json(request.response(), 404, new JsonObject().put("error", "not_found"));
        }
      }
    }
  }

  private void check(HttpServerRequest request) {
    Set<String> names = new LinkedHashSet<>(request.headers().names());
    try {
      ForwardedRequests.Resolution resolution =
          ForwardedRequests.resolve(
              request.method().name(), request.uri(), request.headers(), prefix);
      if (resolution instanceof ForwardedRequests.Unresolvable unresolvable) {
        answer(request, ownDeny(unresolvable.reason()), names);
        return;
      }
      CompletionStage<Decision> stage =
          authorizer.authorize(((ForwardedRequests.Resolved) resolution).request());
      Future.fromCompletionStage(stage, vertx.getOrCreateContext())
          .onComplete(
              (decision, failure) -> {
                if (failure != null || decision == null) {
                  internalError(request, failure, names);
                } else {
                  answer(request, decision, names);
                }
              });
    } catch (RuntimeException e) {
      internalError(request, e, names);
    }
  }

  private void internalError(HttpServerRequest request, Throwable failure, Set<String> names) {
    // NOTE: only the type is logged at WARN; a message might quote request data.
    log.warn(
        "forward-auth check failed, denying with 503: {}",
        failure == null ? "null decision" : failure.getClass().getName());
    log.debug("forward-auth check failure", failure);
    answer(request, ownDeny(DenyReason.INTERNAL_ERROR), names);
  }

  private static Decision.Deny ownDeny(DenyReason reason) {
    return new Decision.Deny(
        UUID.randomUUID().toString(), Optional.empty(), reason, false, Identity.ANONYMOUS);
  }

  private static void answer(HttpServerRequest request, Decision decision, Set<String> names) {
    ForwardAuthResponses.Answer answer = ForwardAuthResponses.toAnswer(decision, names);
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(answer.status());
    answer.headers().forEach(h -> response.headers().add(h.getKey(), h.getValue()));
    response.end(answer.body());
  }

  private void ready(HttpServerResponse response) {
    boolean ready;
    JsonObject detail = new JsonObject();
    try {
      ready = health.ready();
      health.detail().forEach(detail::put);
    } catch (RuntimeException e) {
      log.warn("readiness probe failed: {}", e.getClass().getName());
      ready = false;
    }
    JsonObject body =
        new JsonObject().put("status", ready ? "ready" : "not_ready").put("checks", detail);
    json(response, ready ? 200 : 503, body);
  }

  private void metrics(HttpServerResponse response) {
    try {
      String scrape = metricsScrape.get();
      response.putHeader("content-type", METRICS_CONTENT_TYPE).setStatusCode(200).end(scrape);
    } catch (RuntimeException e) {
      log.warn("metrics scrape failed: {}", e.getClass().getName());
      json(response, 500, new JsonObject().put("error", "metrics_unavailable"));
    }
  }

  private static void json(HttpServerResponse response, int status, JsonObject body) {
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  /** {@code /check/} and {@code /check} are the same prefix; {@code /} means the root. */
  static String normalizePrefix(String configured) {
    String p = configured.trim();
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (!p.isEmpty() && !p.startsWith("/")) {
      p = "/" + p;
    }
    return p;
  }

  /** For logs and tests: the effective check prefix. */
  String prefix() {
    return prefix;
  }
}
