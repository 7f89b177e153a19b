package dev.betterauthz.tenancy;

import dev.betterauthz.config.AppConfig.DatabaseConfig;
import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.testsupport.BetterAuthRows;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** One Better Auth database of a naming, the rows writer and better-authz's clients on it. */
final class PgEnvironment implements AutoCloseable {
  static final Duration QUERY_TIMEOUT = Duration.ofMillis(1500);

  final SchemaNaming naming;
  final BetterAuthRows rows;
  final DatabaseConfig config;
  final Vertx vertx = Vertx.vertx();
  final Pool pool;
  final SqlClient pipelined;

  PgEnvironment(String prefix, SchemaNaming naming) {
    this.naming = naming;
    this.rows = BetterAuthRows.freshDatabase(prefix + "_" + naming.name(), naming);
    this.config = config(rows.databaseUrl(), naming);
    this.pool = PgPools.pool(vertx, config);
    this.pipelined = PgPools.pipelinedClient(vertx, config);
  }

  static DatabaseConfig config(String url, SchemaNaming naming) {
    return new DatabaseConfig(url, 4, 64, QUERY_TIMEOUT, naming);
  }

  SchemaMapping mapping() {
    return rows.mapping();
  }

  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** The failure of a stage that must fail, unwrapped. */
  static Throwable failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected the stage to fail");
  }

  @Override
  public void close() {
    await(pipelined.close().toCompletionStage());
    await(pool.close().toCompletionStage());
    await(vertx.close().toCompletionStage());
    rows.close();
  }
}
