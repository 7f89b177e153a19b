package dev.betterauthz.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.betterauthz.config.AppConfig.DatabaseConfig;
import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.tenancy.PgPools;
import dev.betterauthz.tenancy.SchemaMapping;
import dev.betterauthz.testsupport.BetterAuthRows;
import dev.betterauthz.testsupport.TestServices;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Doctor against real PostgreSQL, both namings. */
class DoctorIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private DoctorReport doctor(
      String url, SchemaMapping mapping, List<Supplier<CompletionStage<Check>>> extra) {
    Pool pool = PgPools.pool(vertx, new DatabaseConfig(url, 2, 16, TIMEOUT, mapping.naming()));
    try {
      return new Doctor(pool, mapping, TIMEOUT, extra)
          .run()
          .toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      pool.close();
    }
  }

  private DoctorReport doctor(BetterAuthRows rows) {
    return doctor(rows.databaseUrl(), rows.mapping(), List.of());
  }

  private static Check check(DoctorReport report, String name) {
    return report.checks().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check " + name + " in\n" + report.render()));
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void healthyDatabaseHasNoFailure(SchemaNaming naming) {
    try (BetterAuthRows rows = BetterAuthRows.freshDatabase("doctor_ok", naming)) {
      rows.addRequiredIndexes();

      DoctorReport report = doctor(rows);

      assertThat(report.checks()).noneMatch(c -> c.status() == Check.Status.FAIL);
      assertThat(report.exitCode()).isZero();
      assertThat(check(report, "read-only session").status()).isEqualTo(Check.Status.OK);
      assertThat(check(report, "schema " + rows.mapping().table("users")).status())
          .isEqualTo(Check.Status.OK);
      assertThat(report.render()).contains("[OK  ] index idx_members_user_org");
    }
  }

  static List<Arguments> missingIndexes() {
    return List.of(
        Arguments.of(
            SchemaNaming.PLURAL_SNAKE,
            "idx_users_role",
            "CREATE INDEX CONCURRENTLY idx_users_role ON \"users\" (\"role\");"),
        Arguments.of(
            SchemaNaming.PLURAL_SNAKE,
            "idx_members_user_org",
            "CREATE INDEX CONCURRENTLY idx_members_user_org ON \"members\" (\"user_id\", \"organization_id\");"),
        Arguments.of(
            SchemaNaming.PLURAL_SNAKE,
            "idx_members_organization_id_role",
            "CREATE INDEX CONCURRENTLY idx_members_organization_id_role ON \"members\" (\"organization_id\", \"role\");"),
        Arguments.of(
            SchemaNaming.BETTER_AUTH_DEFAULT,
            "idx_users_role",
            "CREATE INDEX CONCURRENTLY idx_users_role ON \"user\" (\"role\");"),
        Arguments.of(
            SchemaNaming.BETTER_AUTH_DEFAULT,
            "idx_members_user_org",
            "CREATE INDEX CONCURRENTLY idx_members_user_org ON \"member\" (\"userId\", \"organizationId\");"),
        Arguments.of(
            SchemaNaming.BETTER_AUTH_DEFAULT,
            "idx_members_organization_id_role",
            "CREATE INDEX CONCURRENTLY idx_members_organization_id_role ON \"member\" (\"organizationId\", \"role\");"));
  }

  @ParameterizedTest
  @MethodSource("missingIndexes")
  void missingIndexFailsWithTheExactFix(SchemaNaming naming, String index, String fix)
      throws Exception {
    try (BetterAuthRows rows = BetterAuthRows.freshDatabase("doctor_idx", naming)) {
      rows.addRequiredIndexes();
      rows.dropIndex(index);

      DoctorReport report = doctor(rows);

      Check missing = check(report, "index " + index);
      assertThat(missing.status()).isEqualTo(Check.Status.FAIL);
      assertThat(missing.fixSql()).contains(fix);
      assertThat(report.exitCode()).isEqualTo(1);
      assertThat(report.render()).contains(fix);
      assertThat(report.checks()).filteredOn(c -> c.status() == Check.Status.FAIL).hasSize(1);

      assertThat(readOnlyError(rows, fix)).isEqualTo("25006");
      rows.execute(fix);
      assertThat(check(doctor(rows), "index " + index).status()).isEqualTo(Check.Status.OK);
    }
  }

  /** The SQLSTATE of running {@code sql} through better-authz's own (read-only) pool. */
  private String readOnlyError(BetterAuthRows rows, String sql) throws Exception {
    Pool pool =
        PgPools.pool(
            vertx, new DatabaseConfig(rows.databaseUrl(), 1, 4, TIMEOUT, rows.mapping().naming()));
    try {
      pool.query(sql).execute().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return "executed";
    } catch (ExecutionException e) {
      return ((PgException) e.getCause()).getSqlState();
    } finally {
      pool.close();
    }
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void recognisesIndexesByColumnsNotNames(SchemaNaming naming) {
    try (BetterAuthRows rows = BetterAuthRows.freshDatabase("doctor_cols", naming)) {
      SchemaMapping m = rows.mapping();
      rows.execute(
          "CREATE INDEX some_role_index ON "
              + m.table("users")
              + " ("
              + m.column("users", "role")
              + ", "
              + m.column("users", "id")
              + ")");
      rows.execute(
          "ALTER TABLE "
              + m.table("members")
              + " ADD CONSTRAINT one_membership UNIQUE ("
              + m.column("members", "organization_id")
              + ", "
              + m.column("members", "user_id")
              + ")");
      rows.execute(
          "CREATE INDEX by_role_org ON "
              + m.table("members")
              + " ("
              + m.column("members", "role")
              + ", "
              + m.column("members", "organization_id")
              + ")");
      rows.execute(
          "CREATE INDEX partial_role ON "
              + m.table("members")
              + " ("
              + m.column("members", "organization_id")
              + ", "
              + m.column("members", "role")
              + ") WHERE false");

      DoctorReport report = doctor(rows);

      assertThat(check(report, "index idx_users_role").detail()).contains("some_role_index");
      assertThat(check(report, "index idx_members_user_org").detail())
          .contains("unique index \"one_membership\"", "other order");
      assertThat(check(report, "index idx_members_organization_id_role").detail())
          .contains("by_role_org");
      assertThat(report.exitCode()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void warnsWhenTheUserCouldWrite(SchemaNaming naming) {
    try (BetterAuthRows rows = BetterAuthRows.freshDatabase("doctor_writer", naming)) {
      rows.addRequiredIndexes();

      Check privileges = check(doctor(rows), "privileges");

      assertThat(privileges.status()).isEqualTo(Check.Status.WARN);
      assertThat(privileges.fixSql().orElseThrow())
          .contains(
              "CREATE ROLE better_authz_ro LOGIN",
              "GRANT SELECT ON "
                  + rows.mapping().table("users")
                  + ", "
                  + rows.mapping().table("members"),
              "TO better_authz_ro;",
              "superuser");
    }
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void theAdvisedRoleCanReadEverythingButPrivateKeys(SchemaNaming naming) {
    try (BetterAuthRows rows = BetterAuthRows.freshDatabase("doctor_advice", naming)) {
      rows.addRequiredIndexes();
      String advice = check(doctor(rows), "privileges").fixSql().orElseThrow();
      String role = "doctor_adv_" + BetterAuthRows.newId().toLowerCase();
      String sql =
          advice
              .replace("better_authz_ro", role)
              .replace("PASSWORD '<choose one>'", "")
              .lines()
              .filter(l -> !l.startsWith("--"))
              .map(l -> l.replaceAll("\\s+--.*$", ""))
              .reduce("", (a, b) -> a + "\n" + b);
      rows.execute(sql);
      try {
        String url = asUser(rows.databaseUrl(), role);
        String jwks = rows.mapping().table("jwks");
        TestServices.run(url, "SELECT count(*) FROM " + rows.mapping().table("users"));
        TestServices.run(
            url, "SELECT " + rows.mapping().column("jwks", "public_key") + " FROM " + jwks);
        assertThatThrownBy(
                () ->
                    TestServices.run(
                        url,
                        "SELECT " + rows.mapping().column("jwks", "private_key") + " FROM " + jwks))
            .hasMessageContaining("permission denied");
        assertThat(check(doctor(url, rows.mapping(), List.of()), "privileges").status())
            .isEqualTo(Check.Status.OK);
      } finally {
        rows.execute("DROP OWNED BY " + role);
        rows.execute("DROP ROLE " + role);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void readOnlyRoleGetsNoWriteWarning(SchemaNaming naming) {
    try (BetterAuthRows rows = BetterAuthRows.freshDatabase("doctor_ro", naming)) {
      rows.addRequiredIndexes();
      String role = "doctor_ro_" + BetterAuthRows.newId().toLowerCase();
      rows.execute("CREATE ROLE " + role + " LOGIN");
      try {
        rows.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);

        DoctorReport report = doctor(asUser(rows.databaseUrl(), role), rows.mapping(), List.of());

        assertThat(check(report, "privileges").status()).isEqualTo(Check.Status.OK);
        assertThat(check(report, "connectivity").detail()).contains(role);
        assertThat(report.checks()).noneMatch(c -> c.status() != Check.Status.OK);
      } finally {
        rows.execute("DROP OWNED BY " + role);
        rows.execute("DROP ROLE " + role);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void wrongNamingFailsTheSchemaChecks(SchemaNaming naming) {
    SchemaNaming other =
        naming == SchemaNaming.PLURAL_SNAKE
            ? SchemaNaming.BETTER_AUTH_DEFAULT
            : SchemaNaming.PLURAL_SNAKE;
    try (BetterAuthRows rows = BetterAuthRows.freshDatabase("doctor_naming", naming)) {
      SchemaMapping wrong = SchemaMapping.of(other, Map.of());
      DoctorReport report = doctor(rows.databaseUrl(), wrong, List.of());

      assertThat(check(report, "schema " + wrong.table("users")).status())
          .isEqualTo(Check.Status.FAIL);
      assertThat(check(report, "schema " + wrong.table("sessions")).status())
          .isEqualTo(Check.Status.WARN);
      assertThat(report.exitCode()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void overriddenColumnIsCheckedUnderItsRealName(SchemaNaming naming) {
    try (BetterAuthRows rows = BetterAuthRows.freshDatabase("doctor_override", naming)) {
      SchemaMapping m = rows.mapping();
      rows.execute(
          "ALTER TABLE "
              + m.table("users")
              + " RENAME COLUMN "
              + m.column("users", "ban_expires")
              + " TO banned_until");
      String schemaName = "schema " + m.table("users");

      assertThat(check(doctor(rows), schemaName).detail()).contains("is missing");
      SchemaMapping renamed =
          SchemaMapping.of(naming, Map.of("column.users.ban_expires", "banned_until"));
      assertThat(check(doctor(rows.databaseUrl(), renamed, List.of()), schemaName).status())
          .isEqualTo(Check.Status.OK);
    }
  }

  @Test
  void unreachableDatabaseFailsAndExtraChecksStillRun() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    List<Supplier<CompletionStage<Check>>> extra =
        List.of(
            () -> CompletableFuture.completedFuture(Check.ok("redis", "PONG")),
            () -> {
              throw new IllegalStateException("nats exploded");
            },
            () -> CompletableFuture.failedFuture(new IllegalStateException("jwks down")));

    DoctorReport report =
        doctor(
            "postgresql://postgres@127.0.0.1:" + port + "/x",
            SchemaMapping.of(SchemaNaming.PLURAL_SNAKE, Map.of()),
            extra);

    assertThat(report.checks())
        .extracting(Check::name, Check::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("connectivity", Check.Status.FAIL),
            org.assertj.core.groups.Tuple.tuple("redis", Check.Status.OK),
            org.assertj.core.groups.Tuple.tuple("extra check 2", Check.Status.FAIL),
            org.assertj.core.groups.Tuple.tuple("extra check 3", Check.Status.FAIL));
    assertThat(report.checks().get(3).detail()).contains("jwks down");
    assertThat(report.exitCode()).isEqualTo(1);
  }

  private static String asUser(String url, String user) {
    URI uri = URI.create(url);
    return TestServices.withDatabase(
        uri.getScheme()
            + "://"
            + user
            + "@"
            + uri.getHost()
            + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
            + "/x",
        uri.getPath().substring(1));
  }
}
