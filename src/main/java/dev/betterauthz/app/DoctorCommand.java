package dev.betterauthz.app;

import dev.betterauthz.config.AppConfig;
import dev.betterauthz.doctor.Check;
import dev.betterauthz.doctor.Doctor;
import dev.betterauthz.doctor.DoctorReport;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Command;

/**
 * Checks that the database, JWKS, Redis and NATS are fit, and prints the SQL to fix what is not.
 */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Check the Better Auth database (tables, columns, the three required indexes, read-only",
      "privileges), the JWKS, Redis and NATS. Prints the exact SQL for the database owners.",
      "Exit code: 0 healthy or warnings only, 1 a check failed, 2 bad settings."
    })
public final class DoctorCommand implements java.util.concurrent.Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    Optional<AppConfig> loaded = Settings.load();
    if (loaded.isEmpty()) {
      return Settings.BAD_SETTINGS;
    }
    AppConfig config = loaded.get();
    try (Backends backends = new Backends(config);
        Credentials credentials = new Credentials(config, backends, Clock.systemUTC())) {
      List<Supplier<CompletionStage<Check>>> extra = new ArrayList<>();
      extra.add(() -> jwks(config, credentials));
      backends.redis.ifPresent(
          redis ->
              extra.add(
                  () ->
                      redis
                          .ping(List.of())
                          .toCompletionStage()
                          .thenApply(pong -> Check.ok("redis", "answers PING"))
                          .exceptionally(
                              e ->
                                  Check.warn(
                                      "redis",
                                      "unreachable: "
                                          + e.getMessage()
                                          + " (the Redis tier will be skipped)"))));
      config.nats().url().ifPresent(url -> extra.add(() -> nats(url)));
      DoctorReport report =
          new Doctor(backends.pool, backends.mapping, config.database().queryTimeout(), extra)
              .run()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      System.out.println(report.render());
      return report.exitCode();
    }
  }

  private static CompletionStage<Check> jwks(AppConfig config, Credentials credentials) {
    String source = config.jwt().jwksUrl().map(Object::toString).orElse("the jwks table");
    return credentials
        .keys
        .start()
        .handle(
            (ok, e) ->
                credentials.keys.isReady()
                    ? Check.ok("jwks", "keys loaded from " + source)
                    : Check.fail(
                        "jwks",
                        "no usable signing key from "
                            + source
                            + (e == null ? "" : ": " + e.getMessage())));
  }

  private static CompletionStage<Check> nats(String url) {
    return CompletableFuture.supplyAsync(
        () -> {
          Options options =
              new Options.Builder()
                  .servers(url.split(","))
                  .connectionTimeout(Duration.ofSeconds(2))
                  .maxReconnects(0)
                  .build();
          try (Connection connection = Nats.connect(options)) {
            return Check.ok("nats", "connected to " + connection.getConnectedUrl());
          } catch (Exception e) {
            return Check.warn(
                "nats",
                "unreachable: "
                    + e.getMessage()
                    + " (caches fall back to short TTLs without invalidation events)");
          }
        });
  }
}
