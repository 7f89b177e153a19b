package dev.betterauthz.tenancy;

import dev.betterauthz.config.AppConfig.RedisConfig;
import dev.betterauthz.tenancy.RedisAccessValues.Stored;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared tier: answers under {@code perm:<userId>:<orgId>} in Redis (format in {@link
 * RedisAccessValues}). Every call has the configured timeout; a failure never propagates: reads
 * become misses, writes are dropped, and the outage is logged once and counted. Fills are written
 * with {@code SET NX} so they can never replace the tombstone an invalidation leaves for {@link
 * #tombstoneWindow()}. Evictions that fail while Redis is unreachable are remembered (bounded) and
 * replayed as soon as Redis answers again. Non-blocking; thread-safe.
 */
public final class RedisAccessCache {
  private static final long TRANSITION_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
  private final java.util.concurrent.atomic.AtomicBoolean loggedDown =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicLong lastTransitionLog =
      new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - TRANSITION_LOG_INTERVAL_NANOS);

  private static final Logger log = LoggerFactory.getLogger(RedisAccessCache.class);
  private static final int SCAN_COUNT = 500;
  private static final String ALL = "perm:*";

  private final Vertx vertx;
  private final RedisAPI redis;
  private final RedisConfig config;
  private final Clock clock;
  private final Duration tombstoneWindow;
  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicLong errors = new AtomicLong();
  private final MissedEvictions missed = new MissedEvictions(10_000);

  /**
   * @param vertx runs the delayed second sweep of user- and organization-wide evictions
   * @param redis a client created by the caller (single node, Sentinel or Cluster), owned by it
   */
  public RedisAccessCache(Vertx vertx, RedisAPI redis, RedisConfig config, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.redis = Objects.requireNonNull(redis, "redis");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    Duration twice = config.timeout().multipliedBy(2);
    this.tombstoneWindow =
        twice.compareTo(Duration.ofSeconds(2)) > 0 ? twice : Duration.ofSeconds(2);
  }

  /** The stored answer, or empty on a miss, a tombstone, an unreadable value or an error. */
  public CompletionStage<Optional<Stored>> get(AccessKey key) {
    return guarded(redis.get(key.redisKey()))
        .map(r -> r == null ? Optional.<Stored>empty() : RedisAccessValues.decode(r.toString()))
        .otherwise(Optional.empty())
        .toCompletionStage();
  }

  /** Writes a fill unless the key exists (a tombstone or a value); errors are counted only. */
  public CompletionStage<Void> put(AccessKey key, Access access, Duration ttl) {
    String value = RedisAccessValues.encode(access, clock.instant());
    return write(List.of(key.redisKey(), value, "PX", millis(ttl), "NX"));
  }

  /** Replaces the key with a tombstone for {@link #tombstoneWindow()}. */
  public CompletionStage<Void> tombstone(AccessKey key) {
    return tombstone(key.redisKey());
  }

  /** Tombstones every key of {@code userId}, then deletes any written since, after the window. */
  public CompletionStage<Void> evictUser(String userId) {
    return sweep("perm:" + escape(userId) + ":*", true);
  }

  /** Tombstones every key about {@code orgId}, then deletes any written since, after the window. */
  public CompletionStage<Void> evictOrganization(String orgId) {
    return sweep("perm:*:" + escape(orgId), true);
  }

  /** Deletes every {@code perm:} key (after events may have been lost). */
  public CompletionStage<Void> evictAll() {
    return scan("0", ALL, false).toCompletionStage();
  }

  /** How long an invalidation blocks refills of a key. */
  public Duration tombstoneWindow() {
    return tombstoneWindow;
  }

  /** Failed or timed-out Redis calls so far. */
  public long errors() {
    return errors.get();
  }

  /**
   * Sends {@code PING} under the same timeout as every call, so {@link #available()} (and the
   * replay of missed evictions) follows Redis even when no request needs it. Never fails.
   */
  public CompletionStage<Boolean> probe() {
    return guarded(redis.ping(List.of())).map(r -> true).otherwise(false).toCompletionStage();
  }

  /** False while the last call failed. */
  public boolean available() {
    return !down.get();
  }

  private CompletionStage<Void> sweep(String pattern, boolean again) {
    Future<Void> first = scan("0", pattern, true);
    if (again) {
      first.onComplete(
          done -> vertx.setTimer(tombstoneWindow.toMillis(), id -> scan("0", pattern, false)));
    }
    return first.toCompletionStage();
  }

  private Future<Void> scan(String cursor, String pattern, boolean tombstones) {
    List<String> args = List.of(cursor, "MATCH", pattern, "COUNT", String.valueOf(SCAN_COUNT));
    return guarded(redis.scan(args))
        .compose(
            page -> {
              List<String> keys = new ArrayList<>();
              page.get(1).forEach(k -> keys.add(k.toString()));
              Future<Void> batch = evictKeys(keys, tombstones);
              String next = page.get(0).toString();
              return "0".equals(next) ? batch : batch.compose(v -> scan(next, pattern, tombstones));
            })
        .onFailure(e -> missedPattern(pattern))
        .otherwiseEmpty()
        .mapEmpty();
  }

  private Future<Void> evictKeys(List<String> keys, boolean tombstones) {
    if (keys.isEmpty()) {
      return Future.succeededFuture();
    }
    if (!tombstones) {
      return guarded(redis.unlink(keys))
          .onFailure(e -> keys.forEach(missed::key))
          .otherwiseEmpty()
          .mapEmpty();
    }
    List<Future<Void>> writes = new ArrayList<>();
    keys.forEach(k -> writes.add(Future.fromCompletionStage(tombstone(k))));
    return Future.join(writes).otherwiseEmpty().mapEmpty();
  }

  private CompletionStage<Void> tombstone(String redisKey) {
    List<String> args =
        List.of(redisKey, RedisAccessValues.TOMBSTONE, "PX", millis(tombstoneWindow));
    return guarded(redis.set(args))
        .onFailure(e -> missed.key(redisKey))
        .otherwiseEmpty()
        .<Void>mapEmpty()
        .toCompletionStage();
  }

  private void missedPattern(String pattern) {
    if (ALL.equals(pattern)) {
      missed.everything();
    } else {
      missed.pattern(pattern);
    }
  }

  /** Replays evictions that failed during the outage that just ended. */
  private void replayMissed() {
    MissedEvictions.Replay replay = missed.drain();
    if (replay.everything()) {
      scan("0", ALL, false);
      return;
    }
    if (!replay.keys().isEmpty()) {
      guarded(redis.unlink(replay.keys())).onFailure(e -> replay.keys().forEach(missed::key));
    }
    replay.patterns().forEach(p -> scan("0", p, false));
  }

  private CompletionStage<Void> write(List<String> setArgs) {
    return guarded(redis.set(setArgs)).otherwiseEmpty().<Void>mapEmpty().toCompletionStage();
  }

  /**
   * True when an outage may be logged: a Redis slower than its timeout flips state on every call,
   * so an outage is logged at most once a minute, and its end only if its start was (the metrics
   * count every error).
   */
  private boolean logTransition() {
    long now = System.nanoTime();
    long last = lastTransitionLog.get();
    return now - last >= TRANSITION_LOG_INTERVAL_NANOS
        && lastTransitionLog.compareAndSet(last, now);
  }

  private Future<Response> guarded(Future<Response> call) {
    return call.timeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .onSuccess(
            r -> {
              if (down.compareAndSet(true, false)) {
                if (loggedDown.compareAndSet(true, false)) {
                  log.info("redis tier available again; replaying missed evictions");
                }
                replayMissed();
              }
            })
        .onFailure(
            e -> {
              errors.incrementAndGet();
              if (down.compareAndSet(false, true) && !loggedDown.get() && logTransition()) {
                loggedDown.set(true);
                log.warn(
                    "redis tier unavailable, resolving from memory and PostgreSQL: {}",
                    e.toString());
              }
            });
  }

  private static String millis(Duration ttl) {
    return String.valueOf(Math.max(1, ttl.toMillis()));
  }

  /** Escapes glob characters so an id matches only itself in {@code SCAN MATCH}. */
  static String escape(String id) {
    StringBuilder out = new StringBuilder(id.length());
    for (char c : id.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
