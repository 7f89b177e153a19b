package dev.betterauthz.decision;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who an allowed request is for. Empty for public routes.
 *
 * @param userId the authenticated user id ({@code sub}), empty on public routes
 * @param orgId the organization the request was authorized in, if the route has a tenant
 * @param orgRoles the member roles held in that organization (may be empty: platform grant)
 * @param platformRoles roles from {@code users.role}; {@code user} when NULL in the database
 */
public record Identity(
    Optional<String> userId,
    Optional<String> orgId,
    List<String> orgRoles,
    List<String> platformRoles) {

  public static final Identity ANONYMOUS =
      new Identity(Optional.empty(), Optional.empty(), List.of(), List.of());

  public Identity {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(orgId, "orgId");
    orgRoles = List.copyOf(orgRoles);
    platformRoles = List.copyOf(platformRoles);
  }
}
