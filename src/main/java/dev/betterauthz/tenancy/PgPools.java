package dev.betterauthz.tenancy;

import dev.betterauthz.config.AppConfig.DatabaseConfig;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds the PostgreSQL clients of better-authz from {@link DatabaseConfig}. Every connection is
 * opened read-only ({@code default_transaction_read_only=on}), with a server-side {@code
 * statement_timeout} equal to the query timeout, {@code TimeZone=UTC} (so {@code timestamp without
 * time zone} columns written as UTC wall-clock by Drizzle compare correctly with {@code now()}),
 * {@code application_name=better-authz} and a prepared-statement cache. Pools are bounded: a full
 * wait queue fails fast instead of queueing without limit.
 */
public final class PgPools {
  /**
   * The {@code application_name} every connection reports (visible in {@code pg_stat_activity}).
   */
  public static final String APPLICATION_NAME = "better-authz";

  private static final int PIPELINING_LIMIT = 256;

  private PgPools() {}

  /**
   * A connection pool (one query per borrowed connection at a time). Use it where a connection is
   * needed for several statements, e.g. {@code doctor}.
   */
  public static Pool pool(Vertx vertx, DatabaseConfig config) {
    return PgBuilder.pool()
        .with(poolOptions(config))
        .with(netOptions(config))
        .connectingTo(connectOptions(config))
        .using(vertx)
        .build();
  }

  /**
   * A pipelining client over the same bounded set of connections: several queries share one
   * connection in flight, which is what the authoritative tier's single-statement lookups want.
   */
  public static SqlClient pipelinedClient(Vertx vertx, DatabaseConfig config) {
    return PgBuilder.client()
        .with(poolOptions(config))
        .with(netOptions(config))
        .connectingTo(connectOptions(config))
        .using(vertx)
        .build();
  }

  /**
   * The connect options for {@code config.url()} ({@code postgresql://user:pass@host:port/db?...})
   * with better-authz's session settings.
   *
   * @throws IllegalArgumentException when the URL cannot be parsed
   */
  public static PgConnectOptions connectOptions(DatabaseConfig config) {
    PgConnectOptions options = PgConnectOptions.fromUri(config.url());
    Map<String, String> properties = new HashMap<>(options.getProperties());
    String appName = properties.get("application_name");
    if (appName == null
        || appName.equals(PgConnectOptions.DEFAULT_PROPERTIES.get("application_name"))) {
      properties.put("application_name", APPLICATION_NAME);
    }
    properties.put("default_transaction_read_only", "on");
    properties.put("statement_timeout", Long.toString(timeoutMillis(config)));
    properties.put("TimeZone", "UTC");
    options.setProperties(properties);
    options.setCachePreparedStatements(true);
    options.setPreparedStatementCacheMaxSize(64);
    options.setPipeliningLimit(PIPELINING_LIMIT);
    options.setReconnectAttempts(0);
    return options;
  }

  private static PoolOptions poolOptions(DatabaseConfig config) {
    return new PoolOptions()
        .setName("better-authz-pg")
        .setMaxSize(config.poolSize())
        .setMaxWaitQueueSize(config.maxWaitQueue())
        .setConnectionTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis(config)))
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  private static NetClientOptions netOptions(DatabaseConfig config) {
    return new NetClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis(config)))
        .setTcpKeepAlive(true)
        .setTcpNoDelay(true);
  }

  private static long timeoutMillis(DatabaseConfig config) {
    return Math.max(1, config.queryTimeout().toMillis());
  }
}
