package dev.betterauthz.testsupport;

import io.nats.client.Connection;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Publishes invalidation events on real NATS, as Better Auth's service would. */
public final class Events implements AutoCloseable {
  private final Connection connection;
  private final String prefix;

  public Events(String prefix) throws Exception {
    this.connection = Nats.connect(TestServices.natsUrl());
    this.prefix = prefix;
  }

  public void publish(String subject, String userId, String orgId) throws Exception {
    String json =
        "{\"userId\":"
            + (userId == null ? "null" : "\"" + userId + "\"")
            + ",\"organizationId\":"
            + (orgId == null ? "null" : "\"" + orgId + "\"")
            + "}";
    connection.publish(prefix + subject, json.getBytes(StandardCharsets.UTF_8));
    connection.flush(Duration.ofSeconds(5));
  }

  @Override
  public void close() throws InterruptedException {
    connection.close();
  }
}
