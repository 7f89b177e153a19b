package dev.betterauthz.tenancy;

import static dev.betterauthz.tenancy.PgEnvironment.await;
import static dev.betterauthz.tenancy.PgEnvironment.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.config.AppConfig.SchemaNaming;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The authoritative tier against real PostgreSQL, for both Better Auth namings. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgAccessRepositoryIT {
  private final Map<SchemaNaming, PgEnvironment> envs = new EnumMap<>(SchemaNaming.class);

  @BeforeAll
  void createDatabases() {
    for (SchemaNaming naming : SchemaNaming.values()) {
      PgEnvironment env = new PgEnvironment("pgaccess", naming);
      env.rows.addRequiredIndexes();
      envs.put(naming, env);
    }
  }

  @AfterAll
  void closeAll() {
    envs.values().forEach(PgEnvironment::close);
  }

  private PgEnvironment env(SchemaNaming naming) {
    return envs.get(naming);
  }

  private PgAccessRepository repository(SchemaNaming naming) {
    PgEnvironment env = env(naming);
    return new PgAccessRepository(env.pipelined, env.mapping(), PgEnvironment.QUERY_TIMEOUT);
  }

  private Access load(SchemaNaming naming, String userId, String orgId) {
    return await(repository(naming).load(userId, Optional.of(orgId)));
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void readsEachMemberRole(SchemaNaming naming) {
    PgEnvironment env = env(naming);
    String org = env.rows.organization("roles-" + naming.value());
    for (String role : List.of("owner", "admin", "staff", "viewer")) {
      String uid = env.rows.user("user");
      env.rows.member(org, uid, role);

      Access access = load(naming, uid, org);

      assertThat(access)
          .isEqualTo(new Access(true, List.of("user"), false, List.of(role), Access.Tier.POSTGRES));
    }
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void nonMemberHasNoMemberRoles(SchemaNaming naming) {
    PgEnvironment env = env(naming);
    String org = env.rows.organization("nonmember-" + naming.value());
    String other = env.rows.organization("other-" + naming.value());
    String uid = env.rows.user("user");
    env.rows.member(other, uid, "owner");

    Access access = load(naming, uid, org);

    assertThat(access.userExists()).isTrue();
    assertThat(access.isMember()).isFalse();
    assertThat(access.memberRoles()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void splitsCommaSeparatedMemberRoles(SchemaNaming naming) {
    PgEnvironment env = env(naming);
    String org = env.rows.organization("multi-" + naming.value());
    String tidy = env.rows.user("user");
    String messy = env.rows.user("user");
    env.rows.member(org, tidy, "staff,viewer");
    env.rows.member(org, messy, " staff , ,viewer,");

    assertThat(load(naming, tidy, org).memberRoles()).containsExactly("staff", "viewer");
    assertThat(load(naming, messy, org).memberRoles()).containsExactly("staff", "viewer");
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void mergesDuplicateMemberRows(SchemaNaming naming) {
    PgEnvironment env = env(naming);
    String org = env.rows.organization("dup-" + naming.value());
    String uid = env.rows.user("user");
    env.rows.member(org, uid, "staff");
    env.rows.member(org, uid, "viewer,staff");

    assertThat(load(naming, uid, org).memberRoles()).containsExactlyInAnyOrder("staff", "viewer");
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void readsPlatformRoles(SchemaNaming naming) {
    PgEnvironment env = env(naming);
    String org = env.rows.organization("platform-" + naming.value());
    String admin = env.rows.user("admin");
    String legacy = env.rows.user(null);
    String several = env.rows.user("admin,support");

    assertThat(load(naming, admin, org).platformRoles()).containsExactly("admin");
    assertThat(load(naming, legacy, org).platformRoles()).containsExactly("user");
    assertThat(load(naming, several, org).platformRoles()).containsExactly("admin", "support");
    assertThat(await(repository(naming).load(admin, Optional.empty())))
        .isEqualTo(new Access(true, List.of("admin"), false, List.of(), Access.Tier.POSTGRES));
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void evaluatesBanInTheDatabase(SchemaNaming naming) {
    PgEnvironment env = env(naming);
    String forever = env.rows.user("user", true, Optional.empty());
    String future = env.rows.user("user", true, Optional.of(Instant.now().plusSeconds(3600)));
    String expired = env.rows.user("user", true, Optional.of(Instant.now().minusSeconds(60)));
    String notBanned = env.rows.user("user", false, Optional.of(Instant.now().plusSeconds(3600)));

    assertThat(await(repository(naming).load(forever, Optional.empty())).banned()).isTrue();
    assertThat(await(repository(naming).load(future, Optional.empty())).banned()).isTrue();
    assertThat(await(repository(naming).load(expired, Optional.empty())).banned()).isFalse();
    assertThat(await(repository(naming).load(notBanned, Optional.empty())).banned()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void seesBanAndRoleChangesImmediately(SchemaNaming naming) {
    PgEnvironment env = env(naming);
    String org = env.rows.organization("changes-" + naming.value());
    String uid = env.rows.user("user");
    env.rows.member(org, uid, "staff");
    assertThat(load(naming, uid, org).banned()).isFalse();

    env.rows.banUser(uid, Optional.empty());
    env.rows.setMemberRole(org, uid, "viewer");
    assertThat(load(naming, uid, org).banned()).isTrue();
    assertThat(load(naming, uid, org).memberRoles()).containsExactly("viewer");

    env.rows.removeMember(org, uid);
    assertThat(load(naming, uid, org).memberRoles()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void unknownUserIsNotAMember(SchemaNaming naming) {
    PgEnvironment env = env(naming);
    String org = env.rows.organization("unknown-" + naming.value());

    assertThat(load(naming, "no-such-user", org))
        .isEqualTo(new Access(false, List.of(), false, List.of(), Access.Tier.POSTGRES));
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void resolvesSlugs(SchemaNaming naming) {
    PgEnvironment env = env(naming);
    String org = env.rows.organization("acme-" + naming.value());

    assertThat(await(repository(naming).organizationIdBySlug("acme-" + naming.value())))
        .contains(org);
    assertThat(await(repository(naming).organizationIdBySlug("nope"))).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void worksOverThePlainPoolToo(SchemaNaming naming) {
    PgEnvironment env = env(naming);
    String org = env.rows.organization("pool-" + naming.value());
    String uid = env.rows.user("user");
    env.rows.member(org, uid, "owner");
    var repo = new PgAccessRepository(env.pool, env.mapping(), PgEnvironment.QUERY_TIMEOUT);

    assertThat(await(repo.load(uid, Optional.of(org))).memberRoles()).containsExactly("owner");
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void sessionsAreReadOnly(SchemaNaming naming) {
    PgEnvironment env = env(naming);
    SchemaMapping m = env.mapping();
    String uid = env.rows.user("user");
    String insert =
        "INSERT INTO "
            + m.table("organizations")
            + " ("
            + m.column("organizations", "id")
            + ", "
            + m.column("organizations", "name")
            + ", "
            + m.column("organizations", "slug")
            + ", "
            + m.column("organizations", "created_at")
            + ") VALUES ('x', 'x', 'x', now())";
    String update =
        "UPDATE "
            + m.table("users")
            + " SET "
            + m.column("users", "role")
            + " = 'admin' WHERE "
            + m.column("users", "id")
            + " = '"
            + uid
            + "'";

    for (String sql : List.of(insert, update)) {
      Throwable error = failure(env.pool.query(sql).execute().toCompletionStage());
      assertThat(error).isInstanceOf(PgException.class);
      assertThat(((PgException) error).getSqlState()).isEqualTo("25006");
    }
    Row settings =
        await(
                env.pool
                    .query(
                        "SELECT current_setting('default_transaction_read_only') AS ro,"
                            + " current_setting('application_name') AS app")
                    .execute()
                    .toCompletionStage())
            .iterator()
            .next();
    assertThat(settings.getString("ro")).isEqualTo("on");
    assertThat(settings.getString("app")).isEqualTo("better-authz");
    assertThat(load(naming, uid, env.rows.organization("ro-" + naming.value())).platformRoles())
        .containsExactly("user");
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void failsWithinTheTimeoutWhileATableIsLocked(SchemaNaming naming) throws Exception {
    PgEnvironment env = env(naming);
    String org = env.rows.organization("locked-" + naming.value());
    String uid = env.rows.user("user");
    try (TableLock lock = TableLock.on(env.rows.databaseUrl(), env.mapping().table("members"))) {
      long start = System.nanoTime();
      Throwable error = failure(repository(naming).load(uid, Optional.of(org)));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(error).isInstanceOf(BackendUnavailableException.class);
      assertThat(took).isLessThan(PgEnvironment.QUERY_TIMEOUT.plusSeconds(2));
    }
    assertThat(load(naming, uid, org).userExists()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void failsFastWhenNothingListens(SchemaNaming naming) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    SqlClient client =
        assertUnavailableWithinTimeout(
            naming, "postgresql://postgres@127.0.0.1:" + closedPort + "/x");
    await(client.close().toCompletionStage());
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void timesOutWhenTheServerNeverAnswers(SchemaNaming naming) throws Exception {
    SqlClient client;
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // NOTE: the kernel completes the TCP handshake from the backlog; nothing ever replies.
      client =
          assertUnavailableWithinTimeout(
              naming, "postgresql://postgres@127.0.0.1:" + silent.getLocalPort() + "/x");
    }
    // Closing the listener resets the pending connections, so the client can close.
    await(client.close().toCompletionStage());
  }

  private SqlClient assertUnavailableWithinTimeout(SchemaNaming naming, String url) {
    PgEnvironment env = env(naming);
    SqlClient client = PgPools.pipelinedClient(env.vertx, PgEnvironment.config(url, naming));
    var repo = new PgAccessRepository(client, env.mapping(), PgEnvironment.QUERY_TIMEOUT);
    long start = System.nanoTime();
    Throwable load = failure(repo.load("u", Optional.of("o")));
    Throwable slug = failure(repo.organizationIdBySlug("acme"));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(load).isInstanceOf(BackendUnavailableException.class);
    assertThat(slug).isInstanceOf(BackendUnavailableException.class);
    assertThat(took).isLessThan(PgEnvironment.QUERY_TIMEOUT.multipliedBy(2).plusSeconds(1));
    return client;
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void fullWaitQueueFailsFastInsteadOfQueueing(SchemaNaming naming) throws Exception {
    PgEnvironment env = env(naming);
    String org = env.rows.organization("queue-" + naming.value());
    String uid = env.rows.user("user");
    var tiny =
        new dev.betterauthz.config.AppConfig.DatabaseConfig(
            env.rows.databaseUrl(), 1, 1, PgEnvironment.QUERY_TIMEOUT, naming);
    io.vertx.sqlclient.Pool pool = PgPools.pool(env.vertx, tiny);
    // NOTE: warm the single connection first, so the lookups below queue for it, not for a connect.
    await(
        new PgAccessRepository(pool, env.mapping(), PgEnvironment.QUERY_TIMEOUT)
            .load(uid, Optional.empty()));
    try (TableLock lock = TableLock.on(env.rows.databaseUrl(), env.mapping().table("members"))) {
      var repo = new PgAccessRepository(pool, env.mapping(), PgEnvironment.QUERY_TIMEOUT);
      var blocked = repo.load(uid, Optional.of(org));
      var waiting = repo.load(uid, Optional.of(org));
      long start = System.nanoTime();
      Throwable rejected = failure(repo.load(uid, Optional.of(org)));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(rejected).isInstanceOf(BackendUnavailableException.class);
      assertThat(took).isLessThan(PgEnvironment.QUERY_TIMEOUT.dividedBy(2));
      assertThat(failure(blocked)).isInstanceOf(BackendUnavailableException.class);
      assertThat(failure(waiting)).isInstanceOf(BackendUnavailableException.class);
    } finally {
      await(pool.close().toCompletionStage());
    }
  }
}
