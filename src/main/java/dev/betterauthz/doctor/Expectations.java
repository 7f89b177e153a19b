package dev.betterauthz.doctor;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What better-authz reads from Better Auth's schema: tables, the columns used, their type families,
 * and the indexes the seed ADR requires. Logical (plural-snake) names throughout.
 */
final class Expectations {
  private Expectations() {}

  /** A column's acceptable {@code information_schema.columns.data_type} values. */
  enum Type {
    TEXT(Set.of("text", "character varying")),
    BOOLEAN(Set.of("boolean")),
    TIMESTAMP(Set.of("timestamp with time zone", "timestamp without time zone"));

    final Set<String> accepted;

    Type(Set<String> accepted) {
      this.accepted = accepted;
    }
  }

  /**
   * A table better-authz reads.
   *
   * @param required false for tables only some features need (a missing one is a warning)
   * @param neededFor what the table is read for
   */
  record Table(String logical, boolean required, String neededFor, Map<String, Type> columns) {}

  /**
   * An index the seed ADR requires, recognised by its leading key columns (in any order when {@code
   * anyOrder}), never by its name.
   */
  enum RequiredIndex {
    USERS_ROLE("idx_users_role", "users", List.of("role")),
    MEMBERS_USER_ORG("idx_members_user_org", "members", List.of("user_id", "organization_id")),
    MEMBERS_ORG_ROLE(
        "idx_members_organization_id_role", "members", List.of("organization_id", "role"));

    final String indexName;
    final String table;
    final List<String> columns;

    RequiredIndex(String indexName, String table, List<String> columns) {
      this.indexName = indexName;
      this.table = table;
      this.columns = columns;
    }
  }

  static final List<Table> TABLES =
      List.of(
          new Table(
              "users",
              true,
              "platform roles and bans",
              Map.of(
                  "id",
                  Type.TEXT,
                  "role",
                  Type.TEXT,
                  "banned",
                  Type.BOOLEAN,
                  "ban_expires",
                  Type.TIMESTAMP)),
          new Table(
              "members",
              true,
              "member roles",
              Map.of(
                  "id",
                  Type.TEXT,
                  "organization_id",
                  Type.TEXT,
                  "user_id",
                  Type.TEXT,
                  "role",
                  Type.TEXT)),
          new Table(
              "organizations", true, "slug lookups", Map.of("id", Type.TEXT, "slug", Type.TEXT)),
          new Table(
              "sessions",
              false,
              "Better Auth session tokens (AUTHZ_BETTER_AUTH_SECRET)",
              Map.of(
                  "id",
                  Type.TEXT,
                  "token",
                  Type.TEXT,
                  "expires_at",
                  Type.TIMESTAMP,
                  "user_id",
                  Type.TEXT,
                  "active_organization_id",
                  Type.TEXT)),
          new Table(
              "jwks",
              false,
              "keys from the database (AUTHZ_JWKS_URL=db)",
              Map.of(
                  "id",
                  Type.TEXT,
                  "public_key",
                  Type.TEXT,
                  "alg",
                  Type.TEXT,
                  "expires_at",
                  Type.TIMESTAMP)),
          new Table(
              "organization_roles",
              false,
              "dynamic access control",
              Map.of(
                  "id",
                  Type.TEXT,
                  "organization_id",
                  Type.TEXT,
                  "role",
                  Type.TEXT,
                  "permission",
                  Type.TEXT)));
}
