package dev.betterauthz.doctor;

import dev.betterauthz.tenancy.SchemaMapping;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs every doctor check and collects a {@link DoctorReport}: connectivity and server version, the
 * read-only session setting, tables and columns of the configured naming, the three ADR indexes,
 * write privileges, then the extra checks supplied by the wiring (Redis, NATS, JWKS). A check that
 * errors or times out becomes a {@code FAIL}; {@link #run()} itself never fails. Thread-safe; each
 * run is independent.
 */
public final class Doctor {
  private final Catalog catalog;
  private final SchemaMapping mapping;
  private final Duration timeout;
  private final List<Supplier<CompletionStage<Check>>> extraChecks;

  /**
   * @param client a client from {@code PgPools} (so the read-only session settings are checked)
   * @param mapping the configured naming and overrides
   * @param timeout deadline of each query and each extra check
   * @param extraChecks further checks, run after the database ones, in order
   */
  public Doctor(
      SqlClient client,
      SchemaMapping mapping,
      Duration timeout,
      List<Supplier<CompletionStage<Check>>> extraChecks) {
    this.catalog = new Catalog(client, Objects.requireNonNull(timeout, "timeout"));
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.timeout = timeout;
    this.extraChecks = List.copyOf(extraChecks);
  }

  /** Runs all checks; the stage always completes normally. */
  public CompletionStage<DoctorReport> run() {
    List<Check> checks = new ArrayList<>();
    CompletionStage<Void> db =
        catalog
            .server()
            .handle(
                (server, error) -> {
                  if (error != null) {
                    checks.add(
                        Check.fail(
                            "connectivity", "PostgreSQL did not answer: " + describe(error)));
                    return CompletableFuture.<Void>completedFuture(null);
                  }
                  checks.add(connectivity(server));
                  checks.add(readOnly(server));
                  return databaseChecks(server, checks);
                })
            .thenCompose(Function.identity());
    CompletionStage<Void> all = db;
    for (int i = 0; i < extraChecks.size(); i++) {
      Supplier<CompletionStage<Check>> extra = extraChecks.get(i);
      String name = "extra check " + (i + 1);
      all = all.thenCompose(v -> guarded(name, extra).thenAccept(checks::add));
    }
    return all.thenApply(v -> new DoctorReport(checks));
  }

  private CompletionStage<Void> databaseChecks(Catalog.Server server, List<Check> checks) {
    SchemaCheck schema = new SchemaCheck(catalog, mapping);
    IndexCheck indexes = new IndexCheck(catalog, mapping);
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (Expectations.Table table : Expectations.TABLES) {
      String name = "schema " + mapping.table(table.logical());
      chain =
          chain.thenCompose(
              v -> guarded(name, () -> schema.run(table, server.user())).thenAccept(checks::add));
    }
    for (Expectations.RequiredIndex index : Expectations.RequiredIndex.values()) {
      chain =
          chain.thenCompose(
              v ->
                  guarded("index " + index.indexName, () -> indexes.run(index))
                      .thenAccept(checks::add));
    }
    PrivilegeCheck privileges = new PrivilegeCheck(catalog, mapping);
    return chain.thenCompose(
        v -> guarded("privileges", () -> privileges.run(server)).thenAccept(checks::add));
  }

  private static Check connectivity(Catalog.Server server) {
    String detail =
        "PostgreSQL "
            + server.version()
            + ", database "
            + server.database()
            + " as user "
            + server.user();
    return server.versionNum() < 120000
        ? Check.warn("connectivity", detail + "; PostgreSQL 12 or newer is supported")
        : Check.ok("connectivity", detail);
  }

  private static Check readOnly(Catalog.Server server) {
    return server.readOnly()
        ? Check.ok("read-only session", "default_transaction_read_only is on")
        : Check.warn(
                "read-only session",
                "default_transaction_read_only is off in this session"
                    + " (a connection pooler may drop startup parameters)")
            .withFix(FixSql.readOnlyDefault(server.user()));
  }

  /** Runs a check, turning an exception, a failed stage or a timeout into a FAIL. */
  private CompletionStage<Check> guarded(String name, Supplier<CompletionStage<Check>> check) {
    CompletableFuture<Check> result;
    try {
      result = check.get().toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(Check.fail(name, describe(e)));
    }
    return result
        .copy()
        .orTimeout(timeout.toMillis() * 2 + 100, TimeUnit.MILLISECONDS)
        .exceptionally(e -> Check.fail(name, describe(e)));
  }

  private static String describe(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null
        && (cause instanceof java.util.concurrent.CompletionException
            || cause.getMessage() == null)) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }
}
