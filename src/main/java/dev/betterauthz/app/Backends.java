package dev.betterauthz.app;

import dev.betterauthz.config.AppConfig;
import dev.betterauthz.tenancy.PgPools;
import dev.betterauthz.tenancy.SchemaMapping;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The clients of the outside world, created once: Vert.x, the read-only PostgreSQL pool and
 * pipelined client, Redis, and a periodic PostgreSQL probe for readiness.
 */
final class Backends implements AutoCloseable {
  static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);

  final Vertx vertx;
  final Pool pool;
  final SqlClient client;
  final SchemaMapping mapping;
  final Optional<RedisAPI> redis;
  private final Optional<Redis> redisClient;
  private final AtomicBoolean postgresUp = new AtomicBoolean();
  private final long probeTimer;

  Backends(AppConfig config) {
    this.vertx =
        Vertx.vertx(
            new VertxOptions().setEventLoopPoolSize(Math.max(2, cores())).setWorkerPoolSize(4));
    this.mapping = SchemaMapping.of(config.database().naming(), config.schema().overrides());
    this.pool = PgPools.pool(vertx, config.database());
    this.client = PgPools.pipelinedClient(vertx, config.database());
    this.redisClient =
        config
            .redis()
            .url()
            .map(
                url ->
                    Redis.createClient(
                        vertx,
                        new RedisOptions()
                            .setConnectionString(url)
                            .setMaxPoolSize(8)
                            .setMaxPoolWaiting(1024)));
    this.redis = redisClient.map(RedisAPI::api);
    this.probeTimer = vertx.setPeriodic(0, PROBE_INTERVAL.toMillis(), id -> probe(config));
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  private void probe(AppConfig config) {
    pool.query("SELECT 1")
        .execute()
        .timeout(config.database().queryTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(ar -> postgresUp.set(ar.succeeded()));
  }

  /** Whether PostgreSQL answered the last probe. */
  boolean postgresUp() {
    return postgresUp.get();
  }

  @Override
  public void close() {
    vertx.cancelTimer(probeTimer);
    redisClient.ifPresent(Redis::close);
    client.close();
    pool.close();
    vertx
        .close()
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(5, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
  }
}
