package dev.betterauthz.tenancy;

import static dev.betterauthz.tenancy.CacheStack.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.betterauthz.tenancy.invalidation.EventKind;
import dev.betterauthz.tenancy.invalidation.InvalidationEvent;
import dev.betterauthz.testsupport.TestServices;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every tier's hit and miss path and every cache event, on real PostgreSQL, Redis and NATS. */
class TieredAccessResolverIT {
  private static final Duration SOON = Duration.ofSeconds(5);
  private static String databaseUrl;
  private static Connection publisher;

  private String prefix;
  private CacheStack stack;
  private TestMembers rows;
  private String user;
  private String org;

  @BeforeAll
  static void services() throws Exception {
    databaseUrl =
        TestServices.createDatabase("cache_tiers", "/schema/better-auth-plural-snake.sql");
    publisher = Nats.connect(TestServices.natsUrl());
  }

  @AfterAll
  static void closePublisher() throws InterruptedException {
    publisher.close();
  }

  @BeforeEach
  void replica() throws Exception {
    prefix = ItIds.subjectPrefix();
    stack =
        new CacheStack(
                databaseUrl,
                TestServices.redisUrl(),
                TestServices.natsUrl(),
                prefix,
                Optional.empty(),
                Clock.systemUTC())
            .started();
    rows = new TestMembers(stack.vertx, databaseUrl);
    user = ItIds.id("u");
    org = ItIds.id("o");
    rows.user(user, null);
    rows.organization(org, ItIds.id("slug"));
    rows.member(user, org, "admin");
  }

  @org.junit.jupiter.api.AfterEach
  void closeReplica() throws Exception {
    rows.close();
    stack.close();
  }

  private void publish(EventKind kind, String userId, String orgId) throws Exception {
    publisher.publish(
        prefix + kind.subject(), ItIds.json(userId, orgId).getBytes(StandardCharsets.UTF_8));
    publisher.flush(SOON);
  }

  @Test
  void missFillsEveryTierThenEachTierAnswers() {
    Access first = stack.resolve(user, org);
    assertThat(first.tier()).isEqualTo(Access.Tier.POSTGRES);
    assertThat(first.memberRoles()).containsExactly("admin");
    assertThat(first.platformRoles()).containsExactly("user");
    await().atMost(SOON).until(() -> stack.redisValue(user, org) != null);
    assertThat(RedisAccessValues.decode(stack.redisValue(user, org)))
        .hasValueSatisfying(s -> assertThat(s.access().memberRoles()).containsExactly("admin"));
    assertThat(stack.redisTtlMillis(user, org))
        .isPositive()
        .isLessThanOrEqualTo(CacheStack.PERM_TTL.toMillis());
    assertThat(stack.resolve(user, org).tier()).isEqualTo(Access.Tier.LOCAL);

    stack.local.invalidateAll();
    Access fromRedis = stack.resolve(user, org);
    assertThat(fromRedis.tier()).isEqualTo(Access.Tier.REDIS);
    assertThat(fromRedis.memberRoles()).containsExactly("admin");
    assertThat(stack.resolve(user, org).tier()).isEqualTo(Access.Tier.LOCAL);
    assertThat(stack.resolver.stats().repositoryLoads()).isEqualTo(1);
    assertThat(stack.resolveStrong(user, org).tier()).isEqualTo(Access.Tier.POSTGRES);
  }

  @Test
  void roleChangeEventIsReflectedByTheNextResolve() throws Exception {
    assertThat(stack.resolve(user, org).memberRoles()).containsExactly("admin");
    rows.role(user, org, "viewer");
    publish(EventKind.MEMBER_ROLE_CHANGED, user, org);
    await()
        .atMost(SOON)
        .until(() -> stack.resolve(user, org).memberRoles().equals(List.of("viewer")));
    assertThat(stack.revocations.latestRevocation(user, org)).isPresent();
  }

  @Test
  void removalMakesTheUserANonMember() throws Exception {
    assertThat(stack.resolve(user, org).isMember()).isTrue();
    rows.remove(user, org);
    publish(EventKind.MEMBER_REMOVED, user, org);
    await().atMost(SOON).until(() -> !stack.resolve(user, org).isMember());
    assertThat(stack.redisTtlMillis(user, org))
        .isLessThanOrEqualTo(CacheStack.NEGATIVE_TTL.toMillis());
  }

  @Test
  void banIsReflectedInEveryOrganizationAndStanding() throws Exception {
    String other = ItIds.id("o");
    rows.organization(other, ItIds.id("slug"));
    rows.member(user, other, "staff");
    assertThat(stack.resolve(user, org).banned()).isFalse();
    assertThat(stack.resolve(user, other).banned()).isFalse();
    assertThat(get(stack.resolver.resolve(user, Optional.empty(), Consistency.CACHED)).banned())
        .isFalse();
    rows.ban(user);
    publish(EventKind.USER_BANNED, user, null);
    await().atMost(SOON).until(() -> stack.resolve(user, org).banned());
    assertThat(stack.resolve(user, other).banned()).isTrue();
    assertThat(get(stack.resolver.resolve(user, Optional.empty(), Consistency.CACHED)).banned())
        .isTrue();
  }

  @Test
  void eventDuringAFillWinsAndTheStaleRowIsNeverWrittenBack() throws Exception {
    PgTestAccessRepository.Gate gate = stack.repository.pauseNextLoad();
    CompletionStage<Access> fill =
        stack.resolver.resolve(user, Optional.of(org), Consistency.CACHED);
    gate.reached().get(5, TimeUnit.SECONDS);
    rows.role(user, org, "viewer");
    long appliedBefore = stack.listener.stats().applied();
    publish(EventKind.MEMBER_ROLE_CHANGED, user, org);
    await().atMost(SOON).until(() -> stack.listener.stats().applied() > appliedBefore);
    gate.release().complete(null);

    assertThat(get(fill).memberRoles()).containsExactly("admin");
    assertThat(stack.resolver.stats().staleWritesSkipped()).isEqualTo(1);
    String inRedis = stack.redisValue(user, org);
    assertThat(inRedis == null || RedisAccessValues.TOMBSTONE.equals(inRedis)).isTrue();
    Access next = stack.resolve(user, org);
    assertThat(next.memberRoles()).containsExactly("viewer");
    assertThat(next.tier()).isEqualTo(Access.Tier.POSTGRES);
  }

  @Test
  void nonMemberAnswerIsShortLivedAndEvictedByMemberAdded() throws Exception {
    String stranger = ItIds.id("u");
    rows.user(stranger, "admin");
    Access before = stack.resolve(stranger, org);
    assertThat(before.isMember()).isFalse();
    assertThat(before.platformRoles()).containsExactly("admin");
    await().atMost(SOON).until(() -> stack.redisValue(stranger, org) != null);
    assertThat(stack.redisTtlMillis(stranger, org))
        .isLessThanOrEqualTo(CacheStack.NEGATIVE_TTL.toMillis());
    rows.member(stranger, org, "staff");
    publish(EventKind.MEMBER_ADDED, stranger, org);
    await()
        .atMost(SOON)
        .until(() -> stack.resolve(stranger, org).memberRoles().equals(List.of("staff")));
  }

  @Test
  void malformedEventsAreCountedAndLaterEventsStillApply() throws Exception {
    stack.resolve(user, org);
    publisher.publish(prefix + "member.role.changed", "{not json".getBytes(StandardCharsets.UTF_8));
    publisher.publish(
        prefix + "member.removed", "{\"userId\":\"x\"}".getBytes(StandardCharsets.UTF_8));
    rows.role(user, org, "owner");
    publisher.publish(
        prefix + "member.role.changed",
        ("{\"user_id\":\"" + user + "\",\"organization_id\":\"" + org + "\"}")
            .getBytes(StandardCharsets.UTF_8));
    await()
        .atMost(SOON)
        .until(() -> stack.resolve(user, org).memberRoles().equals(List.of("owner")));
    assertThat(stack.listener.stats().malformed()).isEqualTo(2);
    assertThat(stack.listener.isConnected()).isTrue();
  }

  @Test
  void forwardedSubjectsReachRegisteredHandlers() throws Exception {
    List<InvalidationEvent> seen = new CopyOnWriteArrayList<>();
    stack.listener.addHandler(EventKind.ORGANIZATION_ROLE_CHANGED, seen::add);
    stack.listener.addHandler(EventKind.SESSION_REVOKED, seen::add);
    publish(EventKind.ORGANIZATION_ROLE_CHANGED, null, org);
    publish(EventKind.SESSION_REVOKED, user, null);
    await().atMost(SOON).until(() -> seen.size() == 2);
    assertThat(seen)
        .extracting(InvalidationEvent::kind)
        .containsExactlyInAnyOrder(EventKind.ORGANIZATION_ROLE_CHANGED, EventKind.SESSION_REVOKED);
  }

  @Test
  void organizationDeletedEvictsMembersAndSlug() throws Exception {
    String slug = ItIds.id("slug");
    String doomed = ItIds.id("o");
    rows.organization(doomed, slug);
    rows.member(user, doomed, "owner");
    assertThat(get(stack.resolver.organizationIdBySlug(slug))).contains(doomed);
    assertThat(stack.resolve(user, doomed).isMember()).isTrue();
    TestServices.run(databaseUrl, "DELETE FROM organizations WHERE id = '" + doomed + "'");
    publish(EventKind.ORGANIZATION_DELETED, null, doomed);
    await().atMost(SOON).until(() -> !stack.resolve(user, doomed).isMember());
    assertThat(get(stack.resolver.organizationIdBySlug(slug))).isEmpty();
  }
}
