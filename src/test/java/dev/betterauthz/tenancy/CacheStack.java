package dev.betterauthz.tenancy;

import static org.awaitility.Awaitility.await;

import dev.betterauthz.config.AppConfig.CacheConfig;
import dev.betterauthz.config.AppConfig.NatsConfig;
import dev.betterauthz.config.AppConfig.RedisConfig;
import dev.betterauthz.tenancy.invalidation.NatsInvalidationListener;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** One better-authz replica's cache tiers, wired as Main will wire them, for ITs. */
final class CacheStack implements AutoCloseable {
  static final Duration LOCAL_TTL = Duration.ofSeconds(30);
  static final Duration PERM_TTL = Duration.ofMinutes(5);
  static final Duration NEGATIVE_TTL = Duration.ofSeconds(10);
  static final Duration DEGRADED_TTL = Duration.ofSeconds(3);
  static final Duration REDIS_TIMEOUT = Duration.ofMillis(300);

  final Vertx vertx = Vertx.vertx();
  final Redis redisClient;
  final RedisAPI redisApi;
  final PgTestAccessRepository repository;
  final LocalAccessCache local;
  final CacheCoherence coherence = new CacheCoherence(Duration.ofSeconds(30), false);
  final EventRevocationLog revocations = new EventRevocationLog(Duration.ofHours(1), 10_000);
  final RedisAccessCache redis;
  final CacheInvalidator invalidator;
  final TieredAccessResolver resolver;
  final NatsInvalidationListener listener;

  /**
   * @param natsUrl where this replica's listener connects (a proxy in outage tests)
   * @param prefix the NATS subject prefix of the test
   */
  CacheStack(
      String pgUrl,
      String redisUrl,
      String natsUrl,
      String prefix,
      Optional<String> stream,
      Clock clock) {
    CacheConfig cacheConfig = new CacheConfig(LOCAL_TTL, 10_000, DEGRADED_TTL, true);
    RedisConfig redisConfig =
        new RedisConfig(Optional.of(redisUrl), REDIS_TIMEOUT, PERM_TTL, NEGATIVE_TTL);
    redisClient =
        Redis.createClient(
            vertx, new RedisOptions().setConnectionString(redisUrl).setMaxPoolSize(8));
    redisApi = RedisAPI.api(redisClient);
    repository = new PgTestAccessRepository(vertx, pgUrl, Duration.ofSeconds(2));
    local = new LocalAccessCache(cacheConfig);
    redis = new RedisAccessCache(vertx, redisApi, redisConfig, clock);
    invalidator = new CacheInvalidator(coherence, local, Optional.of(redis), revocations);
    resolver =
        new TieredAccessResolver(
            local,
            Optional.of(redis),
            repository,
            coherence,
            CacheTtls.from(cacheConfig, redisConfig),
            clock);
    listener =
        new NatsInvalidationListener(
            new NatsConfig(Optional.of(natsUrl), prefix, stream),
            invalidator,
            clock,
            "it-" + prefix.replaceAll("[^A-Za-z0-9]", "-"));
  }

  CacheStack started() throws InterruptedException {
    listener.start();
    await().atMost(Duration.ofSeconds(15)).until(listener::isConnected);
    return this;
  }

  Access resolve(String user, String org) {
    return get(resolver.resolve(user, Optional.of(org), Consistency.CACHED));
  }

  Access resolveStrong(String user, String org) {
    return get(resolver.resolve(user, Optional.of(org), Consistency.STRONG));
  }

  /** The raw Redis value under {@code perm:<user>:<org>}, or null. */
  String redisValue(String user, String org) {
    var response = get(redisApi.get(AccessKey.of(user, org).redisKey()).toCompletionStage());
    return response == null ? null : response.toString();
  }

  long redisTtlMillis(String user, String org) {
    return get(redisApi.pttl(AccessKey.of(user, org).redisKey()).toCompletionStage()).toLong();
  }

  static <T> T get(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    listener.close();
    repository.close();
    redisClient.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
