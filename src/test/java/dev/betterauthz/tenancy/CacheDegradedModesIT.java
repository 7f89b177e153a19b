package dev.betterauthz.tenancy;

import static dev.betterauthz.tenancy.CacheStack.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.betterauthz.tenancy.invalidation.EventKind;
import dev.betterauthz.testsupport.MutableClock;
import dev.betterauthz.testsupport.TestServices;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Redis down or slow, PostgreSQL down, NATS down and back: on real services behind proxies. */
class CacheDegradedModesIT {
  private static final Duration SOON = Duration.ofSeconds(10);
  private static String databaseUrl;

  private final List<AutoCloseable> closing = new ArrayList<>();
  private final String prefix = ItIds.subjectPrefix();
  private final String org = ItIds.id("o");

  @BeforeAll
  static void database() {
    databaseUrl =
        TestServices.createDatabase("cache_degraded", "/schema/better-auth-plural-snake.sql");
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private TcpProxy proxy(String url) throws Exception {
    URI uri = URI.create(url);
    TcpProxy proxy = new TcpProxy(uri.getHost(), uri.getPort()).start();
    closing.add(proxy);
    return proxy;
  }

  private static String via(String url, TcpProxy proxy) {
    URI uri = URI.create(url);
    return url.replace(uri.getHost() + ":" + uri.getPort(), "127.0.0.1:" + proxy.port());
  }

  private CacheStack stack(String pg, String redis, String nats, Clock clock) throws Exception {
    CacheStack stack = new CacheStack(pg, redis, nats, prefix, Optional.empty(), clock).started();
    closing.add(stack);
    return stack;
  }

  private TestMembers rows(CacheStack stack) {
    TestMembers rows = new TestMembers(stack.vertx, databaseUrl);
    closing.add(rows);
    rows.organization(org, ItIds.id("slug"));
    return rows;
  }

  private String member(TestMembers rows, String role) {
    String user = ItIds.id("u");
    rows.user(user, null);
    rows.member(user, org, role);
    return user;
  }

  private static void assertUnavailable(ThrowingCallable call) {
    assertThatThrownBy(call)
        .satisfies(
            e -> {
              Throwable cause = e;
              while (cause != null && !(cause instanceof BackendUnavailableException)) {
                cause = cause.getCause();
              }
              assertThat(cause).isInstanceOf(BackendUnavailableException.class);
            });
  }

  @Test
  void redisDownResolvesFromPostgresWithoutAnError() throws Exception {
    TcpProxy redisProxy = proxy(TestServices.redisUrl());
    CacheStack stack =
        stack(
            databaseUrl,
            via(TestServices.redisUrl(), redisProxy),
            TestServices.natsUrl(),
            Clock.systemUTC());
    TestMembers rows = rows(stack);
    String user = member(rows, "staff");
    redisProxy.stop();

    Access access = stack.resolve(user, org);
    assertThat(access.tier()).isEqualTo(Access.Tier.POSTGRES);
    assertThat(access.memberRoles()).containsExactly("staff");
    assertThat(stack.resolve(user, org).tier()).isEqualTo(Access.Tier.LOCAL);
    assertThat(stack.redis.errors()).isPositive();
    assertThat(stack.redis.available()).isFalse();

    redisProxy.start();
    String later = member(rows, "viewer");
    await()
        .atMost(SOON)
        .until(
            () ->
                stack.resolve(later, org).memberRoles().contains("viewer")
                    && stack.redisValue(later, org) != null);
    assertThat(stack.redis.available()).isTrue();
  }

  @Test
  void evictionsMissedDuringARedisOutageAreReplayedWhenItReturns() throws Exception {
    TcpProxy redisProxy = proxy(TestServices.redisUrl());
    CacheStack stack =
        stack(
            databaseUrl,
            via(TestServices.redisUrl(), redisProxy),
            TestServices.natsUrl(),
            Clock.systemUTC());
    TestMembers rows = rows(stack);
    String user = member(rows, "admin");
    stack.resolve(user, org);
    await().atMost(SOON).until(() -> stack.redisValue(user, org) != null);
    redisProxy.stop();
    rows.role(user, org, "viewer");
    long applied = stack.listener.stats().applied();
    publish(EventKind.MEMBER_ROLE_CHANGED, user, org);
    await().atMost(SOON).until(() -> stack.listener.stats().applied() > applied);
    assertThat(stack.resolve(user, org).memberRoles()).containsExactly("viewer");
    assertThat(RedisAccessValues.decode(directRedisValue(stack, user)))
        .hasValueSatisfying(s -> assertThat(s.access().memberRoles()).containsExactly("admin"));

    redisProxy.start();
    String other = member(rows, "staff");
    stack.resolve(other, org);
    await()
        .atMost(SOON)
        .until(() -> RedisAccessValues.decode(directRedisValue(stack, user)).isEmpty());
  }

  /** Reads Redis without the proxy. */
  private String directRedisValue(CacheStack stack, String user) {
    try (CacheStack direct =
        new CacheStack(
            databaseUrl,
            TestServices.redisUrl(),
            TestServices.natsUrl(),
            prefix,
            Optional.empty(),
            Clock.systemUTC())) {
      return direct.redisValue(user, org);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void publish(EventKind kind, String user, String orgId) throws Exception {
    try (Connection publisher = Nats.connect(TestServices.natsUrl())) {
      publisher.publish(
          prefix + kind.subject(), ItIds.json(user, orgId).getBytes(StandardCharsets.UTF_8));
      publisher.flush(SOON);
    }
  }

  @Test
  void slowRedisIsCutOffByTheTimeout() throws Exception {
    TcpProxy redisProxy = proxy(TestServices.redisUrl());
    redisProxy.blackhole(true);
    CacheStack stack =
        stack(
            databaseUrl,
            via(TestServices.redisUrl(), redisProxy),
            TestServices.natsUrl(),
            Clock.systemUTC());
    String user = member(rows(stack), "admin");
    long start = System.nanoTime();
    Access access = stack.resolve(user, org);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(access.memberRoles()).containsExactly("admin");
    assertThat(access.tier()).isEqualTo(Access.Tier.POSTGRES);
    assertThat(took).isLessThan(CacheStack.REDIS_TIMEOUT.plusSeconds(2));
    assertThat(stack.redis.errors()).isPositive();
  }

  @Test
  void inProcessHitsNeedNeitherRedisNorPostgres() throws Exception {
    TcpProxy redisProxy = proxy(TestServices.redisUrl());
    TcpProxy pgProxy = proxy(databaseUrl);
    CacheStack stack =
        stack(
            via(databaseUrl, pgProxy),
            via(TestServices.redisUrl(), redisProxy),
            TestServices.natsUrl(),
            Clock.systemUTC());
    TestMembers rows = rows(stack);
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      users.add(member(rows, i % 2 == 0 ? "admin" : "viewer"));
      stack.resolve(users.get(i), org);
    }
    redisProxy.stop();
    pgProxy.stop();

    for (int round = 0; round < 500; round++) {
      for (int i = 0; i < users.size(); i++) {
        CompletableFuture<Access> stage =
            stack
                .resolver
                .resolve(users.get(i), Optional.of(org), Consistency.CACHED)
                .toCompletableFuture();
        assertThat(stage.isDone()).isTrue();
        Access access = stage.join();
        assertThat(access.tier()).isEqualTo(Access.Tier.LOCAL);
        assertThat(access.memberRoles()).containsExactly(i % 2 == 0 ? "admin" : "viewer");
      }
    }
    assertUnavailable(() -> stack.resolve(ItIds.id("u"), org));
  }

  @Test
  void postgresDownServesACachedAnswerOnlyWithinItsTtl() throws Exception {
    TcpProxy pgProxy = proxy(databaseUrl);
    MutableClock clock = new MutableClock(Instant.now());
    CacheStack stack =
        stack(via(databaseUrl, pgProxy), TestServices.redisUrl(), TestServices.natsUrl(), clock);
    String user = member(rows(stack), "owner");
    stack.resolve(user, org);
    await().atMost(SOON).until(() -> stack.redisValue(user, org) != null);
    pgProxy.stop();

    assertThat(stack.resolve(user, org).tier()).isEqualTo(Access.Tier.LOCAL);
    assertUnavailable(() -> stack.resolveStrong(user, org));
    clock.advance(CacheStack.LOCAL_TTL);
    assertThat(stack.resolve(user, org).tier()).isEqualTo(Access.Tier.REDIS);
    get(stack.redisApi.del(List.of(AccessKey.of(user, org).redisKey())).toCompletionStage());
    stack.local.invalidateAll();
    assertUnavailable(() -> stack.resolve(user, org));
  }

  @Test
  void natsDownShortensTtlsDistrustsClaimsAndRecoversClean() throws Exception {
    TcpProxy natsProxy = proxy(TestServices.natsUrl());
    CacheStack stack =
        stack(
            databaseUrl,
            TestServices.redisUrl(),
            via(TestServices.natsUrl(), natsProxy),
            Clock.systemUTC());
    TestMembers rows = rows(stack);
    String user = member(rows, "admin");
    stack.resolve(user, org);
    assertThat(stack.revocations.claimsTrusted()).isTrue();

    natsProxy.stop();
    await()
        .atMost(SOON)
        .until(() -> !stack.listener.isConnected() && !stack.revocations.claimsTrusted());
    String during = member(rows, "staff");
    stack.resolve(during, org);
    await().atMost(SOON).until(() -> stack.redisValue(during, org) != null);
    assertThat(stack.redisTtlMillis(during, org))
        .isLessThanOrEqualTo(CacheStack.DEGRADED_TTL.toMillis());

    natsProxy.start();
    await().atMost(SOON).until(stack.listener::isConnected);
    assertThat(stack.revocations.claimsTrusted()).isTrue();
    assertThat(stack.local.size()).isZero();

    assertThat(stack.resolve(user, org).memberRoles()).containsExactly("admin");
    rows.role(user, org, "viewer");
    publish(EventKind.MEMBER_ROLE_CHANGED, user, org);
    await()
        .atMost(SOON)
        .until(() -> stack.resolve(user, org).memberRoles().equals(List.of("viewer")));
  }
}
