package dev.betterauthz.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.betterauthz.tenancy.invalidation.EventKind;
import dev.betterauthz.testsupport.TestServices;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** With AUTHZ_NATS_STREAM, events published while a replica was down are applied when it starts. */
class JetStreamReplayIT {
  private static final Duration SOON = Duration.ofSeconds(10);

  @Test
  void eventsPublishedWhileDownAreAppliedAtStart() throws Exception {
    String databaseUrl =
        TestServices.createDatabase("cache_jetstream", "/schema/better-auth-plural-snake.sql");
    String prefix = ItIds.subjectPrefix();
    String stream = "IT_" + prefix.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    try (Connection nats = Nats.connect(TestServices.natsUrl())) {
      JetStreamManagement jsm = nats.jetStreamManagement();
      jsm.addStream(
          StreamConfiguration.builder()
              .name(stream)
              .subjects(prefix + ">")
              .storageType(StorageType.Memory)
              .build());
      try {
        replay(databaseUrl, prefix, stream, nats);
      } finally {
        jsm.deleteStream(stream);
      }
    }
  }

  private void replay(String databaseUrl, String prefix, String stream, Connection nats)
      throws Exception {
    String org = ItIds.id("o");
    String user = ItIds.id("u");
    byte[] payload = ItIds.json(user, org).getBytes(StandardCharsets.UTF_8);
    try (CacheStack first = stack(databaseUrl, prefix, stream);
        TestMembers rows = new TestMembers(first.vertx, databaseUrl)) {
      rows.organization(org, ItIds.id("slug"));
      rows.user(user, null);
      rows.member(user, org, "admin");
      assertThat(first.resolve(user, org).memberRoles()).containsExactly("admin");
      rows.role(user, org, "staff");
      nats.jetStream().publish(prefix + EventKind.MEMBER_ROLE_CHANGED.subject(), payload);
      await()
          .atMost(SOON)
          .until(() -> first.resolve(user, org).memberRoles().equals(List.of("staff")));
      await().atMost(SOON).until(() -> first.redisValue(user, org) != null);
    }
    // The replica is down: the role changes and the event is published meanwhile.
    try (CacheStack offline =
            new CacheStack(
                databaseUrl,
                TestServices.redisUrl(),
                TestServices.natsUrl(),
                prefix,
                Optional.of(stream),
                Clock.systemUTC());
        TestMembers rows = new TestMembers(offline.vertx, databaseUrl)) {
      rows.role(user, org, "viewer");
    }
    nats.jetStream().publish(prefix + EventKind.MEMBER_ROLE_CHANGED.subject(), payload);

    try (CacheStack second = stack(databaseUrl, prefix, stream)) {
      await().atMost(SOON).until(() -> second.revocations.latestRevocation(user, org).isPresent());
      await()
          .atMost(SOON)
          .until(() -> second.resolve(user, org).memberRoles().equals(List.of("viewer")));
      assertThat(second.listener.stats().applied()).isGreaterThanOrEqualTo(1);
    }
  }

  private static CacheStack stack(String databaseUrl, String prefix, String stream)
      throws Exception {
    return new CacheStack(
            databaseUrl,
            TestServices.redisUrl(),
            TestServices.natsUrl(),
            prefix,
            Optional.of(stream),
            Clock.systemUTC())
        .started();
  }
}
