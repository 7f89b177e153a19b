package dev.betterauthz.pipeline;

import dev.betterauthz.tenancy.Access;
import dev.betterauthz.tenancy.RevocationLog;
import dev.betterauthz.token.VerifiedToken;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The cheapest tier: the role claims a token carries, used only where a route accepts {@code
 * consistency: claims}, only for the organization the token names, and never when a revocation for
 * that user and organization is newer than the token.
 */
public final class ClaimsTier {
  private final RevocationLog revocations;
  private final String orgClaim;
  private final String orgRoleClaim;

  public ClaimsTier(RevocationLog revocations, String orgClaim, String orgRoleClaim) {
    this.revocations = revocations;
    this.orgClaim = orgClaim;
    this.orgRoleClaim = orgRoleClaim;
  }

  /** The access the token's claims prove in {@code orgId}, or empty when they cannot be used. */
  Optional<Access> access(VerifiedToken token, String orgId) {
    if (token.kind() != VerifiedToken.Kind.JWT || !revocations.claimsTrusted()) {
      return Optional.empty();
    }
    if (!token.stringClaim(orgClaim).filter(orgId::equals).isPresent()) {
      return Optional.empty();
    }
    List<String> memberRoles =
        token.stringClaim(orgRoleClaim).map(ClaimsTier::split).orElse(List.of());
    if (memberRoles.isEmpty()) {
      return Optional.empty();
    }
    Optional<Instant> revoked = revocations.latestRevocation(token.subject(), orgId);
    if (revoked.isPresent() && !revoked.get().isBefore(token.issuedAt())) {
      return Optional.empty();
    }
    boolean banned = token.booleanClaim("banned").orElse(false);
    List<String> platform = token.stringClaim("role").map(ClaimsTier::split).orElse(List.of());
    return Optional.of(
        new Access(
            true,
            platform.isEmpty() ? List.of("user") : platform,
            banned,
            memberRoles,
            Access.Tier.CLAIMS));
  }

  /** Splits Better Auth's comma-separated role lists. */
  static List<String> split(String roles) {
    return Arrays.stream(roles.split(","))
        .map(String::trim)
        .filter(r -> !r.isEmpty())
        .distinct()
        .toList();
  }
}
