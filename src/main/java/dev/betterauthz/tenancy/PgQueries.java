package dev.betterauthz.tenancy;

import java.util.Objects;

/**
 * Every statement the authoritative tier runs, built once from a {@link SchemaMapping} at start.
 * Identifiers come from the mapping (quoted); values are always bind parameters. All statements are
 * {@code SELECT}s.
 *
 * @param standing the user's platform role and ban state: {@code $1} user id
 * @param standingAndMembership the same plus the aggregated member roles: {@code $1} user id,
 *     {@code $2} organization id
 * @param organizationBySlug {@code $1} slug
 * @param organizationRoles dynamic roles of an organization: {@code $1} organization id
 */
public record PgQueries(
    String standing,
    String standingAndMembership,
    String organizationBySlug,
    String organizationRoles) {

  public PgQueries {
    Objects.requireNonNull(standing, "standing");
    Objects.requireNonNull(standingAndMembership, "standingAndMembership");
    Objects.requireNonNull(organizationBySlug, "organizationBySlug");
    Objects.requireNonNull(organizationRoles, "organizationRoles");
  }

  /** Builds the statements for this mapping. */
  public static PgQueries of(SchemaMapping m) {
    String standingColumns =
        "SELECT u."
            + m.column("users", "role")
            + " AS role, (u."
            + m.column("users", "banned")
            + " IS TRUE AND (u."
            + m.column("users", "ban_expires")
            + " IS NULL OR u."
            + m.column("users", "ban_expires")
            + " > now())) AS banned";
    String fromUsers =
        " FROM " + m.table("users") + " u WHERE u." + m.column("users", "id") + " = $1";
    String memberRoles =
        ", (SELECT string_agg(mb."
            + m.column("members", "role")
            + ", ',') FROM "
            + m.table("members")
            + " mb WHERE mb."
            + m.column("members", "user_id")
            + " = $1 AND mb."
            + m.column("members", "organization_id")
            + " = $2) AS member_roles";
    return new PgQueries(
        standingColumns + fromUsers,
        standingColumns + memberRoles + fromUsers,
        "SELECT o."
            + m.column("organizations", "id")
            + " AS id FROM "
            + m.table("organizations")
            + " o WHERE o."
            + m.column("organizations", "slug")
            + " = $1 LIMIT 1",
        "SELECT r."
            + m.column("organization_roles", "id")
            + " AS id, r."
            + m.column("organization_roles", "role")
            + " AS role, r."
            + m.column("organization_roles", "permission")
            + " AS permission FROM "
            + m.table("organization_roles")
            + " r WHERE r."
            + m.column("organization_roles", "organization_id")
            + " = $1");
  }
}
