package dev.betterauthz.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.betterauthz.config.AppConfig.CacheConfig;
import dev.betterauthz.tenancy.invalidation.EventKind;
import dev.betterauthz.tenancy.invalidation.InvalidationEvent;
import dev.betterauthz.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TieredAccessResolverTest {
  private static final Duration LOCAL_TTL = Duration.ofSeconds(30);
  private static final Duration NEGATIVE_TTL = Duration.ofSeconds(10);
  private static final Duration DEGRADED_TTL = Duration.ofSeconds(5);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeAccessRepository repository = new FakeAccessRepository();
  private final CacheCoherence coherence = new CacheCoherence(Duration.ofSeconds(30), true);
  private final LocalAccessCache local =
      new LocalAccessCache(new CacheConfig(LOCAL_TTL, 1000, DEGRADED_TTL, true));
  private final EventRevocationLog revocations = new EventRevocationLog(Duration.ofHours(1), 1000);
  private final CacheInvalidator invalidator =
      new CacheInvalidator(coherence, local, Optional.empty(), revocations);
  private final TieredAccessResolver resolver =
      new TieredAccessResolver(
          local,
          Optional.empty(),
          repository,
          coherence,
          new CacheTtls(LOCAL_TTL, Duration.ofMinutes(5), NEGATIVE_TTL, DEGRADED_TTL),
          clock);

  private Access resolve(String user, String org) throws Exception {
    return get(resolver.resolve(user, Optional.of(org), Consistency.CACHED));
  }

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private void publish(EventKind kind, String user, String org) {
    invalidator.apply(
        new InvalidationEvent(
            kind,
            Optional.ofNullable(user),
            Optional.ofNullable(org),
            Optional.empty(),
            clock.instant()));
  }

  @Test
  void secondResolveIsAnInProcessHitWithoutRepositoryCall() throws Exception {
    repository.member("u1", "o1", "admin");
    assertThat(resolve("u1", "o1").tier()).isEqualTo(Access.Tier.POSTGRES);
    Access again = resolve("u1", "o1");
    assertThat(again.tier()).isEqualTo(Access.Tier.LOCAL);
    assertThat(again.memberRoles()).containsExactly("admin");
    assertThat(repository.loads()).isEqualTo(1);
    assertThat(resolver.stats().localHits()).isEqualTo(1);
  }

  @Test
  void concurrentMissesShareOneRepositoryQuery() throws Exception {
    repository.member("u1", "o1", "staff");
    repository.holding(true);
    CompletionStage<Access> first = resolver.resolve("u1", Optional.of("o1"), Consistency.CACHED);
    CompletionStage<Access> second = resolver.resolve("u1", Optional.of("o1"), Consistency.CACHED);
    repository.releaseNext();
    assertThat(get(first).memberRoles()).containsExactly("staff");
    assertThat(get(second).memberRoles()).containsExactly("staff");
    assertThat(repository.loads()).isEqualTo(1);
    assertThat(resolver.stats().repositoryCoalesced()).isEqualTo(1);
  }

  @Test
  void eventDuringFillWinsOverTheStaleRow() throws Exception {
    repository.member("u1", "o1", "admin");
    repository.holding(true);
    CompletionStage<Access> inFlight =
        resolver.resolve("u1", Optional.of("o1"), Consistency.CACHED);
    repository.member("u1", "o1", "viewer");
    publish(EventKind.MEMBER_ROLE_CHANGED, "u1", "o1");
    repository.releaseNext();
    assertThat(get(inFlight).memberRoles()).containsExactly("admin");
    assertThat(resolver.stats().staleWritesSkipped()).isEqualTo(1);
    repository.holding(false);
    Access after = resolve("u1", "o1");
    assertThat(after.memberRoles()).containsExactly("viewer");
    assertThat(after.tier()).isEqualTo(Access.Tier.POSTGRES);
  }

  @Test
  void lookupAfterAnEventDoesNotJoinAFlightThatStartedBeforeIt() throws Exception {
    repository.member("u1", "o1", "admin");
    repository.holding(true);
    CompletionStage<Access> old = resolver.resolve("u1", Optional.of("o1"), Consistency.CACHED);
    repository.remove("u1", "o1");
    publish(EventKind.MEMBER_REMOVED, "u1", "o1");
    CompletionStage<Access> fresh = resolver.resolve("u1", Optional.of("o1"), Consistency.CACHED);
    assertThat(repository.loads()).isEqualTo(2);
    repository.releaseNext();
    repository.releaseNext();
    assertThat(get(old).isMember()).isTrue();
    assertThat(get(fresh).isMember()).isFalse();
  }

  @Test
  void userWideEventEvictsEveryOrganizationOfThatUserOnly() throws Exception {
    repository.member("u1", "o1", "admin");
    repository.member("u1", "o2", "staff");
    repository.member("u2", "o1", "viewer");
    resolve("u1", "o1");
    resolve("u1", "o2");
    resolve("u2", "o1");
    publish(EventKind.USER_BANNED, "u1", null);
    assertThat(resolve("u1", "o1").tier()).isEqualTo(Access.Tier.POSTGRES);
    assertThat(resolve("u1", "o2").tier()).isEqualTo(Access.Tier.POSTGRES);
    assertThat(resolve("u2", "o1").tier()).isEqualTo(Access.Tier.LOCAL);
    assertThat(revocations.latestRevocation("u1", "o9")).contains(clock.instant());
  }

  @Test
  void organizationDeletedEvictsEveryMemberAndTheSlug() throws Exception {
    repository.member("u1", "o1", "admin");
    repository.member("u2", "o1", "viewer");
    repository.slug("acme", "o1");
    resolve("u1", "o1");
    resolve("u2", "o1");
    assertThat(get(resolver.organizationIdBySlug("acme"))).contains("o1");
    repository.slug("acme", "o2");
    publish(EventKind.ORGANIZATION_DELETED, null, "o1");
    assertThat(resolve("u1", "o1").tier()).isEqualTo(Access.Tier.POSTGRES);
    assertThat(resolve("u2", "o1").tier()).isEqualTo(Access.Tier.POSTGRES);
    assertThat(get(resolver.organizationIdBySlug("acme"))).contains("o2");
  }

  @Test
  void strongAlwaysAsksTheRepository() throws Exception {
    repository.member("u1", "o1", "admin");
    get(resolver.resolve("u1", Optional.of("o1"), Consistency.STRONG));
    Access strong = get(resolver.resolve("u1", Optional.of("o1"), Consistency.STRONG));
    assertThat(strong.tier()).isEqualTo(Access.Tier.POSTGRES);
    assertThat(repository.loads()).isEqualTo(2);
  }

  @Test
  void repositoryDownServesCachedAnswerOnlyWithinItsTtl() throws Exception {
    repository.member("u1", "o1", "admin");
    resolve("u1", "o1");
    repository.down(true);
    assertThat(resolve("u1", "o1").memberRoles()).containsExactly("admin");
    assertThatThrownBy(() -> get(resolver.resolve("u1", Optional.of("o1"), Consistency.STRONG)))
        .isInstanceOf(ExecutionException.class)
        .hasRootCauseInstanceOf(BackendUnavailableException.class);
    clock.advance(LOCAL_TTL);
    assertThatThrownBy(() -> resolve("u1", "o1"))
        .hasCauseInstanceOf(BackendUnavailableException.class);
  }

  @Test
  void nonMemberAnswersLiveOnlyTheNegativeTtl() throws Exception {
    assertThat(resolve("u1", "o1").isMember()).isFalse();
    assertThat(resolve("u1", "o1").tier()).isEqualTo(Access.Tier.LOCAL);
    clock.advance(NEGATIVE_TTL);
    assertThat(resolve("u1", "o1").tier()).isEqualTo(Access.Tier.POSTGRES);
  }

  @Test
  void memberAddedEvictsACachedNonMemberAnswer() throws Exception {
    assertThat(resolve("u1", "o1").isMember()).isFalse();
    repository.member("u1", "o1", "staff");
    publish(EventKind.MEMBER_ADDED, "u1", "o1");
    assertThat(resolve("u1", "o1").memberRoles()).containsExactly("staff");
  }

  @Test
  void whileEventsAreInterruptedEntriesOlderThanTheDegradedTtlAreMisses() throws Exception {
    repository.member("u1", "o1", "admin");
    resolve("u1", "o1");
    invalidator.eventsInterrupted();
    assertThat(revocations.claimsTrusted()).isFalse();
    assertThat(resolve("u1", "o1").tier()).isEqualTo(Access.Tier.LOCAL);
    clock.advance(DEGRADED_TTL);
    assertThat(resolve("u1", "o1").tier()).isEqualTo(Access.Tier.POSTGRES);
    clock.advance(DEGRADED_TTL);
    assertThat(resolve("u1", "o1").tier()).isEqualTo(Access.Tier.POSTGRES);
  }

  @Test
  void restoringEventsClearsTheLocalTierAndTrustsClaims() throws Exception {
    repository.member("u1", "o1", "admin");
    invalidator.eventsInterrupted();
    resolve("u1", "o1");
    get(invalidator.eventsRestored(false));
    assertThat(revocations.claimsTrusted()).isTrue();
    assertThat(local.size()).isZero();
    assertThat(resolve("u1", "o1").tier()).isEqualTo(Access.Tier.POSTGRES);
  }

  @Test
  void standingOnlyLookupUsesItsOwnKey() throws Exception {
    Access standing = get(resolver.resolve("u1", Optional.empty(), Consistency.CACHED));
    assertThat(standing.memberRoles()).isEqualTo(List.of());
    assertThat(get(resolver.resolve("u1", Optional.empty(), Consistency.CACHED)).tier())
        .isEqualTo(Access.Tier.LOCAL);
    assertThat(new AccessKey("u1", Optional.empty()).redisKey()).isEqualTo("perm:u1:-");
  }
}
