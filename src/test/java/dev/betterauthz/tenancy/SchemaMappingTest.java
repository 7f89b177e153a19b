package dev.betterauthz.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.betterauthz.config.AppConfig.SchemaNaming;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchemaMappingTest {
  private static final SchemaMapping SNAKE = SchemaMapping.of(SchemaNaming.PLURAL_SNAKE, Map.of());
  private static final SchemaMapping DEFAULT =
      SchemaMapping.of(SchemaNaming.BETTER_AUTH_DEFAULT, Map.of());

  @Test
  void pluralSnakeUsesLogicalNames() {
    assertThat(SNAKE.table("users")).isEqualTo("\"users\"");
    assertThat(SNAKE.table("organization_roles")).isEqualTo("\"organization_roles\"");
    assertThat(SNAKE.column("users", "ban_expires")).isEqualTo("\"ban_expires\"");
    assertThat(SNAKE.columnName("sessions", "active_organization_id"))
        .isEqualTo("active_organization_id");
  }

  @Test
  void betterAuthDefaultUsesSingularCamelCase() {
    assertThat(DEFAULT.table("users")).isEqualTo("\"user\"");
    assertThat(DEFAULT.table("members")).isEqualTo("\"member\"");
    assertThat(DEFAULT.table("organizations")).isEqualTo("\"organization\"");
    assertThat(DEFAULT.table("organization_roles")).isEqualTo("\"organizationRole\"");
    assertThat(DEFAULT.table("team_members")).isEqualTo("\"teamMember\"");
    assertThat(DEFAULT.table("sessions")).isEqualTo("\"session\"");
    assertThat(DEFAULT.table("jwks")).isEqualTo("\"jwks\"");
    assertThat(DEFAULT.columnName("members", "user_id")).isEqualTo("userId");
    assertThat(DEFAULT.columnName("members", "organization_id")).isEqualTo("organizationId");
    assertThat(DEFAULT.columnName("users", "ban_expires")).isEqualTo("banExpires");
    assertThat(DEFAULT.columnName("sessions", "expires_at")).isEqualTo("expiresAt");
    assertThat(DEFAULT.columnName("sessions", "active_organization_id"))
        .isEqualTo("activeOrganizationId");
    assertThat(DEFAULT.columnName("jwks", "public_key")).isEqualTo("publicKey");
    assertThat(DEFAULT.columnName("users", "created_at")).isEqualTo("createdAt");
    assertThat(DEFAULT.columnName("accounts", "access_token_expires_at"))
        .isEqualTo("accessTokenExpiresAt");
  }

  @Test
  void overridesRenameTablesAndColumns() {
    SchemaMapping m =
        SchemaMapping.of(
            SchemaNaming.PLURAL_SNAKE,
            Map.of(
                "table.users", "auth.app_users",
                "column.users.ban_expires", "banned_until",
                "table.members", "Mem\"bers"));

    assertThat(m.table("users")).isEqualTo("\"auth\".\"app_users\"");
    assertThat(m.tableName("users"))
        .isEqualTo(new SchemaMapping.TableName(Optional.of("auth"), "app_users"));
    assertThat(m.column("users", "ban_expires")).isEqualTo("\"banned_until\"");
    assertThat(m.column("users", "role")).isEqualTo("\"role\"");
    assertThat(m.table("members")).isEqualTo("\"Mem\"\"bers\"");
  }

  @Test
  void reportsEveryBadOverride() {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("table.user", "x");
    bad.put("column.users.nope", "x");
    bad.put("columns.users.role", "x");
    bad.put("table.members", "");
    bad.put("column.users.role", "a\0b");
    bad.put("table.sessions", "auth.");

    assertThat(SchemaMapping.problems(bad)).hasSize(6);
    assertThatThrownBy(() -> SchemaMapping.of(SchemaNaming.PLURAL_SNAKE, bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("table.user")
        .hasMessageContaining("column.users.nope")
        .hasMessageContaining("NUL");
    assertThat(SchemaMapping.problems(Map.of("column.members.role", "roles"))).isEmpty();
  }

  @Test
  void quotesSafelyAndRejectsUnsafeNames() {
    assertThat(SchemaMapping.quote("a\"; DROP TABLE x; --"))
        .isEqualTo("\"a\"\"; DROP TABLE x; --\"");
    assertThatThrownBy(() -> SchemaMapping.quote("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SchemaMapping.quote("a\0"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SchemaMapping.quote(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SNAKE.table("user")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SNAKE.column("users", "banExpires"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void buildsQueriesFromTheMappingOnly() {
    PgQueries q = PgQueries.of(DEFAULT);

    assertThat(q.standingAndMembership())
        .isEqualTo(
            "SELECT u.\"role\" AS role, (u.\"banned\" IS TRUE AND (u.\"banExpires\" IS NULL OR"
                + " u.\"banExpires\" > now())) AS banned, (SELECT string_agg(mb.\"role\", ',')"
                + " FROM \"member\" mb WHERE mb.\"userId\" = $1 AND mb.\"organizationId\" = $2)"
                + " AS member_roles FROM \"user\" u WHERE u.\"id\" = $1");
    assertThat(q.organizationBySlug())
        .isEqualTo("SELECT o.\"id\" AS id FROM \"organization\" o WHERE o.\"slug\" = $1 LIMIT 1");
    assertThat(List.of(q.standing(), q.organizationRoles())).allMatch(s -> s.startsWith("SELECT "));
  }

  @Test
  void splitsRoleStrings() {
    assertThat(PgAccessRepository.splitRoles(" admin, ,support,admin,"))
        .containsExactly("admin", "support");
    assertThat(PgAccessRepository.splitRoles(null)).isEmpty();
    assertThat(PgAccessRepository.splitRoles("")).isEmpty();
  }
}
