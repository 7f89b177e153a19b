package dev.betterauthz.health;

import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors {@link Readiness} into {@code grpc.health.v1.Health} (for the empty service name and for
 * {@code envoy.service.auth.v3.Authorization}), so Envoy's gRPC health check and Kubernetes see the
 * same truth as {@code /readyz}. {@code Watch} is served by grpc-java's implementation.
 */
public final class HealthReporter implements AutoCloseable {
  public static final String SERVICE = "envoy.service.auth.v3.Authorization";
  private static final Logger log = LoggerFactory.getLogger(HealthReporter.class);

  private final Readiness readiness;
  private final HealthStatusManager health = new HealthStatusManager();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "authz-health");
            t.setDaemon(true);
            return t;
          });
  private volatile ServingStatus last = ServingStatus.UNKNOWN;

  public HealthReporter(Readiness readiness) {
    this.readiness = readiness;
    set(ServingStatus.NOT_SERVING);
  }

  public BindableService service() {
    return health.getHealthService();
  }

  /** Re-evaluates readiness every {@code period}, and at once. */
  public void start(Duration period) {
    timer.scheduleWithFixedDelay(this::refresh, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Re-evaluates now (after a state change such as the end of warm-up or the start of a drain). */
  public void refresh() {
    ServingStatus status = readiness.ready() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    if (status != last) {
      log.info("health: {} {}", status, readiness.detail());
      set(status);
    }
  }

  private void set(ServingStatus status) {
    last = status;
    health.setStatus("", status);
    health.setStatus(SERVICE, status);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    health.enterTerminalState();
  }
}
