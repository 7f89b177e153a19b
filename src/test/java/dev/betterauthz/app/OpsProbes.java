package dev.betterauthz.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.betterauthz.observability.DecisionLog;
import dev.betterauthz.testsupport.CapturedLogs;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What an orchestrator and a scraper see of a running server: {@code /readyz}, {@code /metrics}
 * over real HTTP, and {@code grpc.health.v1.Health/Check} over real gRPC.
 */
final class OpsProbes {
  static final String AUTHORIZATION = "envoy.service.auth.v3.Authorization";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A {@code /readyz} answer: the HTTP status and the {@code checks} object. */
  record Ready(int status, JsonNode body) {
    String check(String name) {
      return body.path("checks").path(name).asText(null);
    }
  }

  private OpsProbes() {}

  static HttpResponse<String> get(int port, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static Ready readyz(int port) {
    HttpResponse<String> response = get(port, "/readyz");
    try {
      return new Ready(response.statusCode(), JSON.readTree(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String metrics(int port) {
    HttpResponse<String> response = get(port, "/metrics");
    if (response.statusCode() != 200) {
      throw new AssertionError("/metrics answered " + response.statusCode());
    }
    return response.body();
  }

  /** The value of one exposed series (name with its labels, exactly as scraped), or 0 if absent. */
  static double sample(String scrape, String series) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  /** Decision-log lines written since {@code mark} (see {@link CapturedLogs#mark()}), parsed. */
  static List<JsonNode> decisionLines(long mark) {
    List<JsonNode> out = new ArrayList<>();
    for (String text : CapturedLogs.since(mark, DecisionLog.LOGGER)) {
      try {
        out.add(JSON.readTree(text.substring(text.indexOf(" - ") + 3)));
      } catch (IOException e) {
        throw new AssertionError("decision line is not JSON: " + text, e);
      }
    }
    return out;
  }

  /** The one decision line with this id (fails if there is none or more than one). */
  static JsonNode decisionLine(long mark, String decisionId) {
    List<JsonNode> lines =
        decisionLines(mark).stream()
            .filter(l -> decisionId.equals(l.path("decision_id").asText()))
            .toList();
    if (lines.size() != 1) {
      throw new AssertionError(lines.size() + " decision lines for " + decisionId);
    }
    return lines.get(0);
  }

  /** The raw text of the decision-log lines written since {@code mark}. */
  static List<String> decisionTexts(long mark) {
    return CapturedLogs.since(mark, DecisionLog.LOGGER);
  }

  /** A field of the Envoy dynamic metadata of a response. */
  static String metadata(CheckResponse response, String field) {
    return response.getDynamicMetadata().getFieldsOrThrow(field).getStringValue();
  }

  /** {@code grpc.health.v1.Health/Check} for {@code service} ("" for the server as a whole). */
  static ServingStatus health(ManagedChannel channel, String service) {
    return HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build())
        .getStatus();
  }
}
