package dev.betterauthz.tenancy;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.util.concurrent.TimeUnit;

/** Holds an ACCESS EXCLUSIVE lock on a table (as the superuser) until closed, then rolls back. */
final class TableLock implements AutoCloseable {
  private final Vertx vertx;
  private final PgConnection connection;

  private TableLock(Vertx vertx, PgConnection connection) {
    this.vertx = vertx;
    this.connection = connection;
  }

  static TableLock on(String url, String quotedTable) throws Exception {
    Vertx vertx = Vertx.vertx();
    PgConnection connection =
        PgConnection.connect(vertx, PgConnectOptions.fromUri(url)).await(10, TimeUnit.SECONDS);
    connection.query("BEGIN").execute().await(10, TimeUnit.SECONDS);
    connection
        .query("LOCK TABLE " + quotedTable + " IN ACCESS EXCLUSIVE MODE")
        .execute()
        .await(10, TimeUnit.SECONDS);
    return new TableLock(vertx, connection);
  }

  @Override
  public void close() throws Exception {
    connection.query("ROLLBACK").execute().await(10, TimeUnit.SECONDS);
    connection.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
