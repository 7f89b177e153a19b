package dev.betterauthz.tenancy.invalidation;

import dev.betterauthz.config.AppConfig.NatsConfig;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * The optional JetStream path: one durable push consumer per replica on {@code AUTHZ_NATS_STREAM},
 * filtered to the subject prefix, acknowledged after each event is applied. A consumer created for
 * the first time replays {@link #FIRST_START_REPLAY} of history; an existing one resumes where this
 * replica stopped. Consumers of replicas gone for {@link #ABANDONED_AFTER} are removed by the
 * server.
 */
final class JetStreamConsumers {
  static final Duration FIRST_START_REPLAY = Duration.ofMinutes(15);
  static final Duration ABANDONED_AFTER = Duration.ofDays(1);
  private static final int NOT_FOUND = 404;

  private JetStreamConsumers() {}

  static void subscribe(
      Connection conn,
      Dispatcher dispatcher,
      NatsConfig config,
      String durableName,
      MessageHandler handler,
      Instant now)
      throws IOException, JetStreamApiException {
    String stream = config.jetStreamStream().orElseThrow();
    String filter = config.subjectPrefix().isEmpty() ? null : config.subjectPrefix() + ">";
    PushSubscribeOptions options =
        exists(conn, stream, durableName)
            ? PushSubscribeOptions.bind(stream, durableName)
            : PushSubscribeOptions.builder().stream(stream)
                .durable(durableName)
                .configuration(create(durableName, filter, now))
                .build();
    conn.jetStream().subscribe(filter, dispatcher, handler, false, options);
  }

  private static ConsumerConfiguration create(String durableName, String filter, Instant now) {
    ConsumerConfiguration.Builder consumer =
        ConsumerConfiguration.builder()
            .durable(durableName)
            .ackPolicy(AckPolicy.Explicit)
            .deliverPolicy(DeliverPolicy.ByStartTime)
            .startTime(now.minus(FIRST_START_REPLAY).atZone(ZoneOffset.UTC))
            .inactiveThreshold(ABANDONED_AFTER);
    if (filter != null) {
      consumer.filterSubject(filter);
    }
    return consumer.build();
  }

  private static boolean exists(Connection conn, String stream, String durableName)
      throws IOException, JetStreamApiException {
    try {
      conn.jetStreamManagement().getConsumerInfo(stream, durableName);
      return true;
    } catch (JetStreamApiException e) {
      if (e.getErrorCode() == NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  static void ack(Message msg) {
    if (msg.isJetStream()) {
      msg.ack();
    }
  }

  /** {@code better-authz-<host>}: stable across restarts of the same replica. */
  static String defaultDurableName() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "local";
      }
    }
    return "better-authz-" + host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
  }
}
