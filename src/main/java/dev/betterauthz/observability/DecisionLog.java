package dev.betterauthz.observability;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.betterauthz.decision.Decision;
import dev.betterauthz.decision.DenyReason;
import dev.betterauthz.decision.Identity;
import dev.betterauthz.pipeline.AccessRequest;
import dev.betterauthz.pipeline.DecisionObserver;
import dev.betterauthz.pipeline.DecisionTrace;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one compact JSON object per decision to the logger {@value #LOGGER} at INFO. Denies and
 * shadowed denies are always written; plain allows are sampled at {@code allowSampleRate}. The line
 * holds ids, route, method, the path without its query (credentials masked by {@link Redactor}, cut
 * to {@value #MAX_PATH} characters), result, reason, tier and latency; never a header, token,
 * cookie or claim. Non-ASCII is escaped so every line is plain ASCII. Thread-safe.
 */
public final class DecisionLog implements DecisionObserver {
  /**
   * The logger name; the JSON layout nests this logger's messages as the {@code decision} field.
   */
  public static final String LOGGER = "better-authz.decision";

  static final int MAX_PATH = 512;
  static final int MAX_REQUEST_ID = 128;
  static final int MAX_METHOD = 16;

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private final double allowSampleRate;
  private final Clock clock;
  private final DoubleSupplier random;
  private final BooleanSupplier enabled;
  private final Consumer<String> sink;

  /** Logs to {@value #LOGGER} (skipped entirely when that logger is not enabled for INFO). */
  public DecisionLog(double allowSampleRate) {
    this(allowSampleRate, LoggerFactory.getLogger(LOGGER));
  }

  private DecisionLog(double allowSampleRate, Logger log) {
    this(
        allowSampleRate,
        Clock.systemUTC(),
        () -> ThreadLocalRandom.current().nextDouble(),
        log::isInfoEnabled,
        log::info);
  }

  DecisionLog(
      double allowSampleRate,
      Clock clock,
      DoubleSupplier random,
      BooleanSupplier enabled,
      Consumer<String> sink) {
    if (!(allowSampleRate >= 0.0 && allowSampleRate <= 1.0)) {
      throw new IllegalArgumentException("allowSampleRate must be in [0, 1]: " + allowSampleRate);
    }
    this.allowSampleRate = allowSampleRate;
    this.clock = clock;
    this.random = random;
    this.enabled = enabled;
    this.sink = sink;
  }

  @Override
  public void observe(AccessRequest request, Decision decision, DecisionTrace trace) {
    if (!enabled.getAsBoolean()) {
      return;
    }
    if (decision instanceof Decision.Allow allow && allow.shadowedDeny().isEmpty() && !sampled()) {
      return;
    }
    sink.accept(line(request, decision, trace));
  }

  private boolean sampled() {
    return allowSampleRate >= 1.0
        || (allowSampleRate > 0.0 && random.getAsDouble() < allowSampleRate);
  }

  /** The JSON object for one decision. */
  String line(AccessRequest request, Decision decision, DecisionTrace trace) {
    Identity identity = identity(decision);
    StringWriter out = new StringWriter(320);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("ts", clock.instant().toString());
      json.writeStringField("decision_id", decision.decisionId());
      field(json, "request_id", request.requestId().map(id -> clean(id, MAX_REQUEST_ID)));
      field(json, "route", decision.route());
      json.writeStringField("method", clean(request.method(), MAX_METHOD));
      json.writeStringField("path", path(request.path()));
      field(json, "user_id", trace.userId().or(identity::userId));
      field(json, "org_id", trace.orgId().or(identity::orgId));
      if (decision instanceof Decision.Deny deny) {
        json.writeStringField("decision", "deny");
        json.writeStringField("reason", deny.reason().code());
      } else {
        Optional<DenyReason> shadowed = ((Decision.Allow) decision).shadowedDeny();
        json.writeStringField("decision", "allow");
        field(json, "reason", shadowed.map(DenyReason::code));
        if (shadowed.isPresent()) {
          json.writeBooleanField("shadow", true);
        }
      }
      field(json, "tier", trace.tier().map(Metrics::label));
      json.writeFieldName("latency_ms");
      json.writeNumber(millis(trace.totalNanos()));
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static Identity identity(Decision decision) {
    return decision instanceof Decision.Deny deny
        ? deny.identity()
        : ((Decision.Allow) decision).identity();
  }

  private static void field(JsonGenerator json, String name, Optional<String> value)
      throws IOException {
    if (value.isPresent()) {
      json.writeStringField(name, value.get());
    } else {
      json.writeNullField(name);
    }
  }

  /** The path without query or fragment, credentials masked, at most {@value #MAX_PATH} chars. */
  static String path(String rawPath) {
    int end = rawPath.length();
    int query = rawPath.indexOf('?');
    int fragment = rawPath.indexOf('#');
    if (query >= 0) {
      end = query;
    }
    if (fragment >= 0 && fragment < end) {
      end = fragment;
    }
    return clean(rawPath.substring(0, end), MAX_PATH);
  }

  /** Masks credentials first (so a cut never exposes half a token), then cuts to {@code max}. */
  private static String clean(String value, int max) {
    String redacted = Redactor.redact(value);
    if (redacted.length() <= max) {
      return redacted;
    }
    // Do not split a surrogate pair.
    int cut = Character.isHighSurrogate(redacted.charAt(max - 1)) ? max - 1 : max;
    return redacted.substring(0, cut);
  }

  /** Milliseconds with exactly three decimals, e.g. {@code 1.250}. */
  static String millis(long nanos) {
    long micros = Math.max(0, Math.round(nanos / 1_000.0));
    long fraction = micros % 1_000;
    return (micros / 1_000) + "." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + fraction;
  }
}
