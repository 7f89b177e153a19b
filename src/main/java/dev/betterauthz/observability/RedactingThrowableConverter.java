package dev.betterauthz.observability;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The {@code %ex} of a text log line (stack trace with messages) passed through {@link Redactor};
 * registered in {@code logback.xml} as the {@code redactedEx} conversion word.
 */
public final class RedactingThrowableConverter extends ThrowableProxyConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return Redactor.redact(super.convert(event));
  }
}
