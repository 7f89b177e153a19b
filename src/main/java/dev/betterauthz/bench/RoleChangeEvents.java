package dev.betterauthz.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Plays Better Auth during the {@code mixed} scenario: at a steady rate it changes one member's
 * role in PostgreSQL and then publishes {@code member.role.changed} with {@code {"userId",
 * "organizationId"}} on NATS, in that order, as the real writer does.
 */
public final class RoleChangeEvents implements AutoCloseable {
  public static final String SUBJECT = "member.role.changed";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Connection nats;
  private final BenchData data;
  private final IntSupplier users;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "bench-role-changes");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  private RoleChangeEvents(Connection nats, BenchData data, IntSupplier users) {
    this.nats = nats;
    this.data = data;
    this.users = users;
  }

  /**
   * Connects to NATS and starts changing the role of the user {@code users} picks, {@code
   * perSecond} times a second.
   */
  public static RoleChangeEvents start(
      String natsUrl, BenchData data, IntSupplier users, int perSecond)
      throws IOException, InterruptedException {
    RoleChangeEvents events = new RoleChangeEvents(Nats.connect(natsUrl), data, users);
    long period = TimeUnit.SECONDS.toMicros(1) / Math.max(1, perSecond);
    events.scheduler.scheduleAtFixedRate(events::changeOne, period, period, TimeUnit.MICROSECONDS);
    return events;
  }

  private void changeOne() {
    try {
      BenchData.Member member = data.member(users.getAsInt());
      data.changeRole(member);
      nats.publish(SUBJECT, payload(member));
      published.incrementAndGet();
    } catch (RuntimeException e) {
      failed.incrementAndGet();
    }
  }

  /** The event body for a membership. */
  public static byte[] payload(BenchData.Member member) {
    try {
      return JSON.writeValueAsString(
              Map.of("userId", member.userId(), "organizationId", member.organizationId()))
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Events published so far. */
  public long published() {
    return published.get();
  }

  /** Changes that failed (database or NATS error). */
  public long failed() {
    return failed.get();
  }

  /** Stops publishing and closes the NATS connection. */
  @Override
  public void close() throws InterruptedException {
    scheduler.shutdownNow();
    scheduler.awaitTermination(5, TimeUnit.SECONDS);
    nats.close();
  }
}
