package dev.betterauthz.app;

import dev.betterauthz.config.AppConfig;
import dev.betterauthz.doctor.Doctor;
import dev.betterauthz.doctor.DoctorReport;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code doctor} database checks, run at start ({@code AUTHZ_STARTUP_CHECKS}): {@code warn}
 * logs problems and starts anyway, {@code strict} refuses to start on a failure, {@code off} skips.
 */
final class StartupChecks {
  private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);

  private StartupChecks() {}

  static void run(AppConfig config, Backends backends) throws Exception {
    AppConfig.StartupChecks mode = config.server().startupChecks();
    if (mode == AppConfig.StartupChecks.OFF) {
      return;
    }
    DoctorReport report =
        new Doctor(backends.pool, backends.mapping, config.database().queryTimeout(), List.of())
            .run()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    switch (report.status()) {
      case OK -> log.info("startup checks: all passed");
      case WARN ->
          log.warn(
              "startup checks found warnings (run `doctor` for the fix SQL):\n{}", report.render());
      case FAIL -> {
        log.error("startup checks failed (run `doctor` for the fix SQL):\n{}", report.render());
        if (mode == AppConfig.StartupChecks.STRICT) {
          throw new IllegalStateException("startup checks failed and AUTHZ_STARTUP_CHECKS=strict");
        }
      }
    }
  }
}
