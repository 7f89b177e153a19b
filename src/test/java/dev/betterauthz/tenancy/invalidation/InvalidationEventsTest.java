package dev.betterauthz.tenancy.invalidation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InvalidationEventsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static Optional<InvalidationEvent> parse(EventKind kind, String json) {
    return InvalidationEvents.parse(kind, json.getBytes(StandardCharsets.UTF_8), NOW);
  }

  @Test
  void acceptsCamelAndSnakeCaseKeys() {
    InvalidationEvent camel =
        parse(EventKind.MEMBER_ROLE_CHANGED, "{\"userId\":\"u1\",\"organizationId\":\"o1\"}")
            .orElseThrow();
    InvalidationEvent snake =
        parse(EventKind.MEMBER_REMOVED, "{\"user_id\":\"u1\",\"organization_id\":\"o1\"}")
            .orElseThrow();
    assertThat(camel.user()).isEqualTo("u1");
    assertThat(snake.organization()).isEqualTo("o1");
    assertThat(camel.receivedAt()).isEqualTo(NOW);
    assertThat(camel.occurredAt()).isEmpty();
  }

  @Test
  void readsTimestampsInMillisSecondsOrIso() {
    assertThat(parse(EventKind.USER_BANNED, "{\"userId\":\"u\",\"ts\":1767225600123}"))
        .hasValueSatisfying(
            e -> assertThat(e.occurredAt()).contains(Instant.ofEpochMilli(1767225600123L)));
    assertThat(parse(EventKind.USER_BANNED, "{\"userId\":\"u\",\"timestamp\":1767225600}"))
        .hasValueSatisfying(
            e -> assertThat(e.occurredAt()).contains(Instant.ofEpochSecond(1767225600)));
    assertThat(parse(EventKind.USER_BANNED, "{\"userId\":\"u\",\"ts\":\"2026-01-01T00:00:00Z\"}"))
        .hasValueSatisfying(e -> assertThat(e.occurredAt()).contains(NOW));
  }

  @Test
  void rejectsPayloadsWithoutTheIdsTheirScopeNeeds() {
    assertThat(parse(EventKind.MEMBER_ROLE_CHANGED, "{\"userId\":\"u1\"}")).isEmpty();
    assertThat(parse(EventKind.USER_ROLE_CHANGED, "{\"organizationId\":\"o1\"}")).isEmpty();
    assertThat(parse(EventKind.USER_DELETED, "{\"organizationId\":\"o1\"}")).isEmpty();
    assertThat(parse(EventKind.USER_DELETED, "{\"user_id\":\"u1\"}")).isPresent();
    assertThat(parse(EventKind.ORGANIZATION_DELETED, "{\"userId\":\"u1\"}")).isEmpty();
    assertThat(parse(EventKind.SESSION_REVOKED, "{}")).isEmpty();
    assertThat(parse(EventKind.USER_BANNED, "{\"userId\":42}")).isEmpty();
    assertThat(parse(EventKind.USER_BANNED, "{\"userId\":\"  \"}")).isEmpty();
    assertThat(parse(EventKind.USER_BANNED, "not json")).isEmpty();
    assertThat(parse(EventKind.USER_BANNED, "[\"u1\"]")).isEmpty();
    assertThat(parse(EventKind.ORGANIZATION_ROLE_CHANGED, "{\"organizationId\":\"o1\"}"))
        .isPresent();
  }

  @Test
  void mapsSubjectsToKinds() {
    assertThat(EventKind.fromSubject("member.role.changed"))
        .contains(EventKind.MEMBER_ROLE_CHANGED);
    assertThat(EventKind.fromSubject("member.updated")).isEmpty();
  }
}
