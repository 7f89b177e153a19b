package dev.betterauthz.tenancy.invalidation;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One parsed invalidation event. Ids are present as its {@link EventKind.Scope} requires.
 *
 * @param kind the subject it arrived on
 * @param userId the user concerned, if any
 * @param organizationId the organization concerned, if any
 * @param occurredAt the publisher's timestamp ({@code ts} or {@code timestamp}), if it sent one
 * @param receivedAt when this process received it (or JetStream stored it, for replays); the
 *     revocation time recorded for the claims tier
 */
public record InvalidationEvent(
    EventKind kind,
    Optional<String> userId,
    Optional<String> organizationId,
    Optional<Instant> occurredAt,
    Instant receivedAt) {

  public InvalidationEvent {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(organizationId, "organizationId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }

  /** The user id; call only for kinds whose scope requires it. */
  public String user() {
    return userId.orElseThrow();
  }

  /** The organization id; call only for kinds whose scope requires it. */
  public String organization() {
    return organizationId.orElseThrow();
  }
}
