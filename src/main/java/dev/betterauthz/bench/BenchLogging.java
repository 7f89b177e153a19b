package dev.betterauthz.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging of the bench JVMs (the load generator and the no-op server): warnings only, so that
 * per-frame DEBUG output of the libraries never becomes part of what is measured.
 */
final class BenchLogging {
  private BenchLogging() {}

  /** Raises the root level to WARN when logback is the SLF4J backend; no-op otherwise. */
  static void quiet() {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.WARN);
    }
  }
}
