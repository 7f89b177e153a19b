package dev.betterauthz.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.testsupport.TestServices;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchDataIT {
  private static String runId() {
    return "it" + ProcessHandle.current().pid() + "x" + System.nanoTime() % 1_000_000;
  }

  @Test
  void loadsTheDataSetIntoItsOwnDatabase() {
    try (BenchData data = BenchData.create(TestServices.databaseUrl(), runId(), 50, 5)) {
      assertThat(data.count("users")).isEqualTo(50);
      assertThat(data.count("organizations")).isEqualTo(5);
      assertThat(data.count("members")).isEqualTo(50);
      BenchData.Member member = data.member(7);
      assertThat(data.role(member)).contains(member.role());
      assertThat(data.url()).contains("/bench_it");
    }
  }

  @Test
  void changesARoleBetweenViewerAndStaff() {
    try (BenchData data = BenchData.create(TestServices.databaseUrl(), runId(), 8, 2)) {
      BenchData.Member viewer = data.member(0);
      assertThat(viewer.role()).isEqualTo("viewer");

      assertThat(data.changeRole(viewer)).isEqualTo(1);
      assertThat(data.role(viewer)).contains("staff");
      assertThat(data.changeRole(viewer)).isEqualTo(1);
      assertThat(data.role(viewer)).contains("viewer");
    }
  }

  @Test
  void publishesRoleChangesAfterUpdatingTheRow() throws Exception {
    try (BenchData data = BenchData.create(TestServices.databaseUrl(), runId(), 8, 2);
        Connection nats = Nats.connect(TestServices.natsUrl())) {
      BenchData.Member member = data.member(3);
      Subscription subscription = nats.subscribe(RoleChangeEvents.SUBJECT);
      nats.flush(Duration.ofSeconds(5));
      Message message;
      try (RoleChangeEvents events =
          RoleChangeEvents.start(TestServices.natsUrl(), data, () -> 3, 20)) {
        message = nextFor(subscription, member);
        assertThat(events.failed()).isZero();
      }
      assertThat(new String(message.getData(), StandardCharsets.UTF_8))
          .isEqualTo(new String(RoleChangeEvents.payload(member), StandardCharsets.UTF_8));
      // Roles toggle between viewer and staff; member 3 started as owner.
      assertThat(data.role(member).orElseThrow()).isIn("viewer", "staff");
    }
  }

  /** The first event about {@code member} (other tests' events on the subject are skipped). */
  private static Message nextFor(Subscription subscription, BenchData.Member member)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      Message message = subscription.nextMessage(Duration.ofSeconds(1));
      if (message != null
          && new String(message.getData(), StandardCharsets.UTF_8).contains(member.userId())) {
        return message;
      }
    }
    throw new AssertionError("no member.role.changed event for " + member.userId());
  }
}
