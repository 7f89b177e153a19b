package dev.betterauthz.tenancy;

import java.util.Objects;
import java.util.Optional;

/**
 * The identity of one cached answer: a user, and the organization the answer is about (or none, for
 * routes without a tenant). Its Redis key is {@code perm:<userId>:<orgId>}, with {@code -} in place
 * of the organization for standing-only lookups.
 *
 * @param userId the verified subject
 * @param orgId the organization id, or empty for a standing-only lookup
 */
public record AccessKey(String userId, Optional<String> orgId) {

  /** The organization part of the Redis key when there is no organization. */
  public static final String NO_ORG = "-";

  public AccessKey {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(orgId, "orgId");
  }

  public static AccessKey of(String userId, String orgId) {
    return new AccessKey(userId, Optional.of(orgId));
  }

  /** {@code perm:<userId>:<orgId>} (or {@code perm:<userId>:-}). */
  public String redisKey() {
    return "perm:" + userId + ":" + orgId.orElse(NO_ORG);
  }

  /** Whether an event about this organization concerns this key. */
  public boolean isAbout(String organizationId) {
    return orgId.isPresent() && orgId.get().equals(organizationId);
  }
}
