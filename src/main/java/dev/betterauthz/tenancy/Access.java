package dev.betterauthz.tenancy;

import java.util.List;
import java.util.Objects;

/**
 * What the authoritative data says about one user in one organization: the answer cached under
 * {@code perm:<userId>:<orgId>}. Role names only; permissions are computed from the current policy
 * at decision time, so a policy reload never needs a cache flush.
 *
 * @param userExists whether the user row exists (an unknown user is treated as not a member)
 * @param platformRoles roles from {@code users.role}, split on commas; {@code [user]} when NULL
 * @param banned whether the user is banned right now
 * @param memberRoles roles from {@code members.role} in that organization, split on commas; empty
 *     when the user is not a member (or the lookup had no organization)
 * @param tier which tier answered (for logs, metrics and {@code explain})
 */
public record Access(
    boolean userExists,
    List<String> platformRoles,
    boolean banned,
    List<String> memberRoles,
    Tier tier) {

  /** Where an answer came from. */
  public enum Tier {
    CLAIMS,
    LOCAL,
    REDIS,
    POSTGRES
  }

  public Access {
    platformRoles = List.copyOf(platformRoles);
    memberRoles = List.copyOf(memberRoles);
    Objects.requireNonNull(tier, "tier");
  }

  public boolean isMember() {
    return !memberRoles.isEmpty();
  }

  public Access withTier(Tier newTier) {
    return new Access(userExists, platformRoles, banned, memberRoles, newTier);
  }
}
