package dev.betterauthz.tenancy;

import static dev.betterauthz.tenancy.PgEnvironment.await;
import static dev.betterauthz.tenancy.PgEnvironment.failure;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.betterauthz.config.AppConfig.SchemaNaming;
import io.vertx.sqlclient.SqlClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/** Dynamic access-control roles against real PostgreSQL, for both Better Auth namings. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgDynamicRoleRepositoryIT {
  private final Map<SchemaNaming, PgEnvironment> envs = new EnumMap<>(SchemaNaming.class);

  @BeforeAll
  void createDatabases() {
    for (SchemaNaming naming : SchemaNaming.values()) {
      envs.put(naming, new PgEnvironment("pgdynroles", naming));
    }
  }

  @AfterAll
  void closeAll() {
    envs.values().forEach(PgEnvironment::close);
  }

  private PgDynamicRoleRepository repository(SchemaNaming naming) {
    PgEnvironment env = envs.get(naming);
    return new PgDynamicRoleRepository(env.pipelined, env.mapping(), PgEnvironment.QUERY_TIMEOUT);
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void readsMergesAndSkipsMalformedRows(SchemaNaming naming) {
    PgEnvironment env = envs.get(naming);
    String org = env.rows.organization("dyn-" + naming.value());
    String other = env.rows.organization("dyn-other-" + naming.value());
    env.rows.organizationRole(org, "approver", "{\"leave\":[\"read\",\"approve\"]}");
    env.rows.organizationRole(org, "approver", "{\"member\":[\"create\"],\"leave\":[\"read\"]}");
    env.rows.organizationRole(org, "auditor", "{\"report\":[\"read\"]}");
    env.rows.organizationRole(org, "broken", "{\"leave\": read}");
    env.rows.organizationRole(org, "wrong-shape", "{\"leave\":\"read\"}");
    env.rows.organizationRole(other, "approver", "{\"org\":[\"delete\"]}");

    PgDynamicRoleRepository repository = repository(naming);
    ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(PgDynamicRoleRepository.class);
    warnings.start();
    logger.addAppender(warnings);
    Map<String, List<String>> roles;
    try {
      roles = await(repository.rolesOf(org));
      assertThat(await(repository.rolesOf(org))).isEqualTo(roles);
    } finally {
      logger.detachAppender(warnings);
    }

    assertThat(warnings.list)
        .as("each malformed row is logged once")
        .hasSize(2)
        .allMatch(e -> e.getLevel() == Level.WARN);

    assertThat(roles).containsOnlyKeys("approver", "auditor");
    assertThat(roles.get("approver"))
        .containsExactlyInAnyOrder("leave:read", "leave:approve", "member:create");
    assertThat(roles.get("auditor")).containsExactly("report:read");
    assertThat(await(repository(naming).rolesOf(other)))
        .isEqualTo(Map.of("approver", List.of("org:delete")));
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void organizationWithoutDynamicRolesHasNone(SchemaNaming naming) {
    PgEnvironment env = envs.get(naming);
    String org = env.rows.organization("dyn-none-" + naming.value());

    assertThat(await(repository(naming).rolesOf(org))).isEmpty();
    assertThat(await(repository(naming).rolesOf("no-such-org"))).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(SchemaNaming.class)
  void unreachableDatabaseIsBackendUnavailable(SchemaNaming naming) throws Exception {
    PgEnvironment env = envs.get(naming);
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    SqlClient client =
        PgPools.pipelinedClient(
            env.vertx,
            PgEnvironment.config("postgresql://postgres@127.0.0.1:" + port + "/x", naming));
    try {
      var repo = new PgDynamicRoleRepository(client, env.mapping(), PgEnvironment.QUERY_TIMEOUT);
      assertThat(failure(repo.rolesOf("org"))).isInstanceOf(BackendUnavailableException.class);
    } finally {
      await(client.close().toCompletionStage());
    }
  }

  @Test
  void switchedOffSourceHasNoRoles() {
    assertThat(await(DynamicRoles.none().rolesOf("any"))).isEmpty();
  }
}
