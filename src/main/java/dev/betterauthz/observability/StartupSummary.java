package dev.betterauthz.observability;

import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one INFO line written when the server is ready: how long the start took and the effective
 * settings (already masked by the caller, e.g. {@code config.ConfigDescription.describe}), each
 * value passed through {@link Redactor} once more.
 */
public final class StartupSummary {
  private static final Logger log = LoggerFactory.getLogger(StartupSummary.class);

  private StartupSummary() {}

  /** Logs {@link #line} at INFO. */
  public static void log(String version, Duration startup, Map<String, String> settings) {
    log.info(line(version, startup, settings));
  }

  /** {@code better-authz <version> ready in <ms> ms: key=value, key=value, ...}. */
  public static String line(String version, Duration startup, Map<String, String> settings) {
    StringJoiner pairs = new StringJoiner(", ");
    settings.forEach((key, value) -> pairs.add(key + "=" + Redactor.redact(value)));
    return "better-authz " + version + " ready in " + startup.toMillis() + " ms: " + pairs;
  }
}
