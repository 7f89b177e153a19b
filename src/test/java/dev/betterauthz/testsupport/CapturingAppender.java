package dev.betterauthz.testsupport;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Hands every log event to {@link CapturedLogs} as text: level, logger, message, MDC, key-value
 * pairs and the full stack trace with messages, i.e. everything an encoder could print.
 */
public final class CapturingAppender extends AppenderBase<ILoggingEvent> {
  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(128);
    text.append(event.getLevel()).append(' ').append(event.getLoggerName()).append(" - ");
    text.append(event.getFormattedMessage());
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc != null && !mdc.isEmpty()) {
      text.append(" mdc=").append(mdc);
    }
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair pair : event.getKeyValuePairs()) {
        text.append(' ').append(pair.key).append('=').append(pair.value);
      }
    }
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      text.append('\n').append(ThrowableProxyUtil.asString(error));
    }
    CapturedLogs.add(event.getLoggerName(), text.toString());
  }
}
