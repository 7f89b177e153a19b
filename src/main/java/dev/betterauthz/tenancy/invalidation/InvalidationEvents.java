package dev.betterauthz.tenancy.invalidation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Parses event payloads: a JSON object with {@code userId}/{@code user_id}, {@code
 * organizationId}/{@code organization_id} and optionally {@code ts}/{@code timestamp} (epoch
 * milliseconds, epoch seconds, or ISO-8601). Anything else, or missing ids the kind needs, is
 * malformed (empty).
 */
public final class InvalidationEvents {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MILLIS_THRESHOLD = 100_000_000_000L;

  private InvalidationEvents() {}

  public static Optional<InvalidationEvent> parse(
      EventKind kind, byte[] payload, Instant received) {
    JsonNode node;
    try {
      node = JSON.readTree(payload);
    } catch (IOException e) {
      return Optional.empty();
    }
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    Optional<String> user = text(node, "userId", "user_id");
    Optional<String> org = text(node, "organizationId", "organization_id");
    boolean complete =
        switch (kind.scope()) {
          case MEMBERSHIP -> user.isPresent() && org.isPresent();
          case USER -> user.isPresent();
          case ORGANIZATION -> org.isPresent();
          case FORWARDED -> user.isPresent() || org.isPresent();
        };
    if (!complete) {
      return Optional.empty();
    }
    return Optional.of(new InvalidationEvent(kind, user, org, timestamp(node), received));
  }

  private static Optional<String> text(JsonNode node, String camel, String snake) {
    JsonNode value = node.has(camel) ? node.get(camel) : node.get(snake);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  private static Optional<Instant> timestamp(JsonNode node) {
    JsonNode value = node.has("ts") ? node.get("ts") : node.get("timestamp");
    if (value == null) {
      return Optional.empty();
    }
    if (value.isNumber()) {
      long n = value.asLong();
      return Optional.of(
          n >= MILLIS_THRESHOLD ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n));
    }
    try {
      return value.isTextual() ? Optional.of(Instant.parse(value.asText())) : Optional.empty();
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
