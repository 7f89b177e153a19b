package dev.betterauthz.observability;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The {@code %msg} of a text log line passed through {@link Redactor}; registered in {@code
 * logback.xml} as the {@code redactedMsg} conversion word.
 */
public final class RedactingMessageConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Redactor.redact(event.getFormattedMessage());
  }
}
