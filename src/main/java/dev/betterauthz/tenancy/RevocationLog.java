package dev.betterauthz.tenancy;

import java.time.Instant;
import java.util.Optional;

/**
 * Remembers when access was last revoked, so the claims tier never trusts a token minted before a
 * revocation. Fed by invalidation events. Thread-safe.
 */
public interface RevocationLog {

  /**
   * The latest revocation affecting {@code userId} in {@code orgId}: a membership event for that
   * pair, or a user-wide event (ban, platform role change), or an organization-wide event.
   */
  Optional<Instant> latestRevocation(String userId, String orgId);

  /** True when the claims tier may be used at all (false while invalidation events may be lost). */
  boolean claimsTrusted();
}
