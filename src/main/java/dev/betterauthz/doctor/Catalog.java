package dev.betterauthz.doctor;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Runs {@link DoctorQueries} (and nothing else), each with a deadline. */
final class Catalog {
  private final SqlClient client;
  private final long timeoutMillis;

  Catalog(SqlClient client, Duration timeout) {
    this.client = Objects.requireNonNull(client, "client");
    this.timeoutMillis = Math.max(1, timeout.toMillis());
  }

  /** Facts about the server and the session. */
  record Server(
      String version,
      int versionNum,
      String user,
      String database,
      boolean readOnly,
      boolean superuser) {}

  CompletionStage<Server> server() {
    return bounded(
        client
            .preparedQuery(DoctorQueries.SERVER)
            .execute()
            .map(
                rows -> {
                  Row row = rows.iterator().next();
                  return new Server(
                      row.getString("version"),
                      row.getInteger("version_num"),
                      row.getString("usr"),
                      row.getString("db"),
                      "on".equals(row.getString("read_only")),
                      Boolean.TRUE.equals(row.getBoolean("superuser")));
                }));
  }

  CompletionStage<RowSet<Row>> columns(String quotedTable) {
    return bounded(client.preparedQuery(DoctorQueries.COLUMNS).execute(Tuple.of(quotedTable)));
  }

  CompletionStage<RowSet<Row>> indexes(String quotedTable) {
    return bounded(client.preparedQuery(DoctorQueries.INDEXES).execute(Tuple.of(quotedTable)));
  }

  CompletionStage<RowSet<Row>> privileges(String quotedTable) {
    return bounded(client.preparedQuery(DoctorQueries.PRIVILEGES).execute(Tuple.of(quotedTable)));
  }

  private <T> CompletionStage<T> bounded(Future<T> future) {
    return future.timeout(timeoutMillis, TimeUnit.MILLISECONDS).toCompletionStage();
  }
}
