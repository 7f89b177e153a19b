package dev.betterauthz.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * A logback layout writing one compact JSON object per event: {@code ts}, {@code level}, {@code
 * logger}, {@code thread}, {@code msg} and, with an exception, {@code error} (the stack trace).
 * Lines of the {@link DecisionLog#LOGGER} logger are already JSON objects and are nested as the
 * {@code decision} field instead of {@code msg}. Message and error pass through {@link Redactor} as
 * a last line of defence. Output is ASCII (non-ASCII escaped). Thread-safe.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  @Override
  public String doLayout(ILoggingEvent event) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("ts", event.getInstant().toString());
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("thread", event.getThreadName());
      String message = event.getFormattedMessage();
      if (isDecision(event, message)) {
        json.writeFieldName("decision");
        json.writeRawValue(message);
      } else {
        json.writeStringField("msg", Redactor.redact(message == null ? "" : message));
      }
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        json.writeStringField("error", Redactor.redact(ThrowableProxyUtil.asString(error)));
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.append(CoreConstants.LINE_SEPARATOR).toString();
  }

  /** Decision lines are built by {@link DecisionLog} as one JSON object without arguments. */
  private static boolean isDecision(ILoggingEvent event, String message) {
    return DecisionLog.LOGGER.equals(event.getLoggerName())
        && (event.getArgumentArray() == null || event.getArgumentArray().length == 0)
        && message != null
        && message.startsWith("{\"")
        && message.endsWith("}");
  }

  @Override
  public String getContentType() {
    return "application/json";
  }
}
