package dev.betterauthz.token;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of a Better Auth {@code sessions} row that a decision needs. Immutable.
 *
 * @param userId the session's user ({@code user_id})
 * @param expiresAt when the session ends ({@code expires_at}); Better Auth slides it forward
 * @param createdAt when the session was created ({@code created_at}), used as the credential's
 *     issue time against revocation events
 * @param activeOrganizationId the organization plugin's active organization, empty when none
 */
public record SessionRow(
    String userId, Instant expiresAt, Instant createdAt, Optional<String> activeOrganizationId) {

  public SessionRow {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(activeOrganizationId, "activeOrganizationId");
  }
}
