package dev.betterauthz.observability;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Locale;

/**
 * Lets an appender through only when the process's log format is this filter's {@code format}. The
 * format is {@code text} when the system property or environment variable {@code AUTHZ_LOG_FORMAT}
 * says {@code text} (any case), otherwise {@code json} — the same rule as the configuration loader.
 * {@code logback.xml} puts a JSON and a text appender side by side, each behind one of these, so no
 * conditional configuration (and no janino) is needed.
 */
public final class LogFormatFilter extends Filter<ILoggingEvent> {
  /** The variable (or system property) that selects the format. */
  public static final String VARIABLE = "AUTHZ_LOG_FORMAT";

  private String format = "json";
  private boolean active;

  /** Set from {@code <format>} in the logback configuration: {@code json} or {@code text}. */
  public void setFormat(String format) {
    this.format = format.trim().toLowerCase(Locale.ROOT);
  }

  @Override
  public void start() {
    if (!format.equals("json") && !format.equals("text")) {
      addError("format must be json or text: " + format);
      return;
    }
    active = format.equals(activeFormat(System.getProperty(VARIABLE), System.getenv(VARIABLE)));
    super.start();
  }

  /** {@code text} if the property (else the environment value) says so, otherwise {@code json}. */
  static String activeFormat(String property, String environment) {
    String value = property != null ? property : environment;
    return value != null && value.trim().equalsIgnoreCase("text") ? "text" : "json";
  }

  @Override
  public FilterReply decide(ILoggingEvent event) {
    return active ? FilterReply.NEUTRAL : FilterReply.DENY;
  }
}
