package dev.betterauthz.testsupport;

import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.tenancy.SchemaMapping;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Plays Better Auth, the only writer: inserts and changes Better Auth-shaped rows (32-character
 * alphanumeric ids, lower-case emails, timestamps) as the test's superuser, for either naming.
 * Blocking (tests only). Close it to release its connection.
 *
 * <pre>{@code
 * try (BetterAuthRows rows = BetterAuthRows.freshDatabase("myit", SchemaNaming.PLURAL_SNAKE)) {
 *   String uid = rows.user("admin");
 *   String org = rows.organization("acme");
 *   rows.member(org, uid, "staff,viewer");
 *   // point better-authz at rows.databaseUrl()
 * }
 * }</pre>
 */
public final class BetterAuthRows implements AutoCloseable {
  private static final String ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String databaseUrl;
  private final SchemaMapping m;
  private final Vertx vertx;
  private final Pool pool;

  /** Writes into an existing database that already holds the schema of {@code naming}. */
  public BetterAuthRows(String databaseUrl, SchemaNaming naming) {
    this(databaseUrl, SchemaMapping.of(naming, Map.of()));
  }

  /** Writes into an existing database whose names follow {@code mapping} (overrides included). */
  public BetterAuthRows(String databaseUrl, SchemaMapping mapping) {
    this.databaseUrl = databaseUrl;
    this.m = mapping;
    this.vertx = Vertx.vertx();
    this.pool =
        PgBuilder.pool()
            .connectingTo(PgConnectOptions.fromUri(databaseUrl))
            .with(new PoolOptions().setMaxSize(1))
            .using(vertx)
            .build();
  }

  /**
   * A fresh database (via {@link TestServices#createDatabase}) with the fixture of {@code naming}.
   */
  public static BetterAuthRows freshDatabase(String prefix, SchemaNaming naming) {
    return new BetterAuthRows(TestServices.createDatabase(prefix, fixture(naming)), naming);
  }

  /** The classpath schema fixture of a naming. */
  public static String fixture(SchemaNaming naming) {
    return naming == SchemaNaming.PLURAL_SNAKE
        ? "/schema/better-auth-plural-snake.sql"
        : "/schema/better-auth-default.sql";
  }

  public String databaseUrl() {
    return databaseUrl;
  }

  public SchemaMapping mapping() {
    return m;
  }

  /** A Better Auth-style id: 32 random alphanumeric characters. */
  public static String newId() {
    StringBuilder id = new StringBuilder(32);
    for (int i = 0; i < 32; i++) {
      id.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
    }
    return id.toString();
  }

  /** Inserts a user with this {@code users.role} ({@code null} for a pre-admin-plugin row). */
  public String user(String role) {
    return user(role, false, Optional.empty());
  }

  /** Inserts a user with the admin plugin's ban columns set. */
  public String user(String role, boolean banned, Optional<Instant> banExpires) {
    String id = newId();
    String t = "users";
    update(
        "INSERT INTO "
            + m.table(t)
            + " ("
            + cols(
                t,
                "id",
                "name",
                "email",
                "email_verified",
                "created_at",
                "updated_at",
                "role",
                "banned",
                "ban_reason",
                "ban_expires")
            + ") VALUES ($1, $2, $3, false, now(), now(), $4, $5, $6, $7)",
        Tuple.of(id, "User " + id.substring(0, 6), id.toLowerCase() + "@example.test", role)
            .addValue(banned)
            .addValue(banned ? "No reason" : null)
            .addValue(banExpires.map(BetterAuthRows::utc).orElse(null)));
    return id;
  }

  /** What Better Auth's {@code banUser} does to the user row (sessions are not touched here). */
  public void banUser(String userId, Optional<Instant> expires) {
    update(
        "UPDATE "
            + m.table("users")
            + " SET "
            + m.column("users", "banned")
            + " = true, "
            + m.column("users", "ban_reason")
            + " = 'No reason', "
            + m.column("users", "ban_expires")
            + " = $2 WHERE "
            + m.column("users", "id")
            + " = $1",
        Tuple.of(userId, expires.map(BetterAuthRows::utc).orElse(null)));
  }

  public void unbanUser(String userId) {
    update(
        "UPDATE "
            + m.table("users")
            + " SET "
            + m.column("users", "banned")
            + " = false, "
            + m.column("users", "ban_reason")
            + " = NULL, "
            + m.column("users", "ban_expires")
            + " = NULL WHERE "
            + m.column("users", "id")
            + " = $1",
        Tuple.of(userId));
  }

  /** Sets {@code users.role} ({@code null} allowed). */
  public void setUserRole(String userId, String role) {
    update(
        "UPDATE "
            + m.table("users")
            + " SET "
            + m.column("users", "role")
            + " = $2 WHERE "
            + m.column("users", "id")
            + " = $1",
        Tuple.of(userId, role));
  }

  public void deleteUser(String userId) {
    update(
        "DELETE FROM " + m.table("users") + " WHERE " + m.column("users", "id") + " = $1",
        Tuple.of(userId));
  }

  /** Inserts an organization with this slug; returns its id. */
  public String organization(String slug) {
    String id = newId();
    String t = "organizations";
    update(
        "INSERT INTO "
            + m.table(t)
            + " ("
            + cols(t, "id", "name", "slug", "created_at")
            + ") VALUES ($1, $2, $3, now())",
        Tuple.of(id, "Org " + slug, slug));
    return id;
  }

  public void deleteOrganization(String orgId) {
    update(
        "DELETE FROM "
            + m.table("organizations")
            + " WHERE "
            + m.column("organizations", "id")
            + " = $1",
        Tuple.of(orgId));
  }

  /** Inserts a {@code members} row (role may be comma-separated); returns the member id. */
  public String member(String orgId, String userId, String role) {
    String id = newId();
    String t = "members";
    update(
        "INSERT INTO "
            + m.table(t)
            + " ("
            + cols(t, "id", "organization_id", "user_id", "role", "created_at")
            + ") VALUES ($1, $2, $3, $4, now())",
        Tuple.of(id, orgId, userId, role));
    return id;
  }

  /** Sets the role of every {@code members} row of (org, user). */
  public void setMemberRole(String orgId, String userId, String role) {
    update(
        "UPDATE "
            + m.table("members")
            + " SET "
            + m.column("members", "role")
            + " = $3 WHERE "
            + memberMatch(),
        Tuple.of(orgId, userId, role));
  }

  /** Deletes every {@code members} row of (org, user). */
  public void removeMember(String orgId, String userId) {
    update(
        "DELETE FROM " + m.table("members") + " WHERE " + memberMatch(), Tuple.of(orgId, userId));
  }

  /** Inserts a dynamic access-control role; {@code permissionJson} is stored verbatim. */
  public String organizationRole(String orgId, String role, String permissionJson) {
    String id = newId();
    String t = "organization_roles";
    update(
        "INSERT INTO "
            + m.table(t)
            + " ("
            + cols(t, "id", "organization_id", "role", "permission", "created_at")
            + ") VALUES ($1, $2, $3, $4, now())",
        Tuple.of(id, orgId, role, permissionJson));
    return id;
  }

  /** Creates the three indexes the seed ADR requires, with their ADR names. */
  public void addRequiredIndexes() {
    execute(
        "CREATE INDEX idx_users_role ON "
            + m.table("users")
            + " ("
            + m.column("users", "role")
            + ")");
    execute(
        "CREATE INDEX idx_members_user_org ON "
            + m.table("members")
            + " ("
            + cols("members", "user_id", "organization_id")
            + ")");
    execute(
        "CREATE INDEX idx_members_organization_id_role ON "
            + m.table("members")
            + " ("
            + cols("members", "organization_id", "role")
            + ")");
  }

  /** Drops an index by name (for tests of a missing index). */
  public void dropIndex(String name) {
    execute("DROP INDEX " + SchemaMapping.quote(name));
  }

  /** Runs arbitrary SQL as the superuser (e.g. creating roles for privilege tests). */
  public void execute(String sql) {
    await(pool.query(sql).execute().mapEmpty());
  }

  @Override
  public void close() {
    await(pool.close());
    await(vertx.close());
  }

  private String memberMatch() {
    return m.column("members", "organization_id")
        + " = $1 AND "
        + m.column("members", "user_id")
        + " = $2";
  }

  private String cols(String table, String... logical) {
    StringBuilder out = new StringBuilder();
    for (String column : logical) {
      out.append(out.length() == 0 ? "" : ", ").append(m.column(table, column));
    }
    return out.toString();
  }

  private void update(String sql, Tuple args) {
    await(pool.preparedQuery(sql).execute(args).mapEmpty());
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("Better Auth row write failed: " + e.getMessage(), e);
    }
  }
}
