package dev.betterauthz.tenancy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The value format under {@code perm:<userId>:<orgId>} (documented in {@code docs/cache.md}):
 * {@code {"v":1,"at":<epoch ms>,"user":true,"platform":["user"],"banned":false,"member":["admin"]}}
 * — role names only, never permissions. The single character {@value #TOMBSTONE} marks a key that
 * was just invalidated and must not be refilled until it expires. Anything else reads as a miss.
 */
public final class RedisAccessValues {
  /** The value written by an invalidation; fills use {@code SET NX} so they cannot replace it. */
  public static final String TOMBSTONE = "~";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VERSION = 1;

  private RedisAccessValues() {}

  /** An answer read from Redis and when it was written. */
  public record Stored(Access access, Instant storedAt) {}

  public static String encode(Access access, Instant storedAt) {
    ObjectNode node = JSON.createObjectNode();
    node.put("v", VERSION);
    node.put("at", storedAt.toEpochMilli());
    node.put("user", access.userExists());
    strings(node.putArray("platform"), access.platformRoles());
    node.put("banned", access.banned());
    strings(node.putArray("member"), access.memberRoles());
    return node.toString();
  }

  /** The stored answer (tier {@code REDIS}), or empty for a tombstone or an unreadable value. */
  public static Optional<Stored> decode(String value) {
    if (value == null || TOMBSTONE.equals(value)) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(value);
      if (node == null || node.path("v").asInt() != VERSION || !node.path("at").isNumber()) {
        return Optional.empty();
      }
      Access access =
          new Access(
              node.path("user").asBoolean(false),
              list(node.path("platform")),
              node.path("banned").asBoolean(true),
              list(node.path("member")),
              Access.Tier.REDIS);
      return Optional.of(new Stored(access, Instant.ofEpochMilli(node.path("at").asLong())));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static List<String> list(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.forEach(n -> out.add(n.asText()));
    return out;
  }
}
