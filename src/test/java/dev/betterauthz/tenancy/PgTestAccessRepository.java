package dev.betterauthz.tenancy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test-only authoritative tier over a real PostgreSQL (plural-snake Better Auth tables), until the
 * real PgAccessRepository is merged. {@link #pauseNextLoad()} holds the next load after its row was
 * read, so a test can publish an event in between and then release it.
 */
final class PgTestAccessRepository implements AccessRepository, AutoCloseable {
  private static final String LOAD =
      "SELECT u.role, (u.banned IS TRUE AND (u.ban_expires IS NULL OR u.ban_expires > now())),"
          + " string_agg(m.role, ',') FROM users u LEFT JOIN members m"
          + " ON m.user_id = u.id AND m.organization_id = $2 WHERE u.id = $1 GROUP BY u.id";
  private static final String SLUG = "SELECT id FROM organizations WHERE slug = $1";

  private final Pool pool;
  private final Duration timeout;
  private final AtomicReference<Gate> gate = new AtomicReference<>();

  /** A load held after reading: {@code reached} completes when it has read its row. */
  record Gate(CompletableFuture<Void> reached, CompletableFuture<Void> release) {}

  PgTestAccessRepository(Vertx vertx, String url, Duration timeout) {
    this.timeout = timeout;
    this.pool =
        PgBuilder.pool()
            .connectingTo(PgConnectOptions.fromUri(url))
            .with(new PoolOptions().setMaxSize(4))
            .using(vertx)
            .build();
  }

  Gate pauseNextLoad() {
    Gate next = new Gate(new CompletableFuture<>(), new CompletableFuture<>());
    gate.set(next);
    return next;
  }

  @Override
  public CompletionStage<Access> load(String userId, Optional<String> orgId) {
    Gate held = gate.getAndSet(null);
    CompletionStage<Access> read =
        bounded(pool.preparedQuery(LOAD), Tuple.of(userId, orgId.orElse(null)))
            .map(PgTestAccessRepository::toAccess)
            .toCompletionStage();
    if (held == null) {
      return read;
    }
    return read.thenCompose(
        access -> {
          held.reached().complete(null);
          return held.release().thenApply(v -> access);
        });
  }

  private Future<RowSet<Row>> bounded(PreparedQuery<RowSet<Row>> query, Tuple args) {
    return query
        .execute(args)
        .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .recover(e -> Future.failedFuture(new BackendUnavailableException("test pg: " + e, e)));
  }

  private static Access toAccess(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return new Access(false, List.of("user"), false, List.of(), Access.Tier.POSTGRES);
    }
    Row row = rows.iterator().next();
    return new Access(
        true,
        split(Optional.ofNullable(row.getString(0)).orElse("user")),
        Boolean.TRUE.equals(row.getBoolean(1)),
        split(Optional.ofNullable(row.getString(2)).orElse("")),
        Access.Tier.POSTGRES);
  }

  private static List<String> split(String roles) {
    return Arrays.stream(roles.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  @Override
  public CompletionStage<Optional<String>> organizationIdBySlug(String slug) {
    return bounded(pool.preparedQuery(SLUG), Tuple.of(slug))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.<String>empty()
                    : Optional.of(rows.iterator().next().getString(0)))
        .toCompletionStage();
  }

  @Override
  public void close() {
    pool.close();
  }
}
