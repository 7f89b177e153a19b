package dev.betterauthz.deploy;

import static dev.betterauthz.deploy.YamlDocs.at;
import static dev.betterauthz.deploy.YamlDocs.list;
import static dev.betterauthz.deploy.YamlDocs.map;
import static dev.betterauthz.deploy.YamlDocs.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ComposeFileTest {
  private static Map<String, Object> services;

  @BeforeAll
  static void load() throws IOException {
    services = map(YamlDocs.load(Path.of("compose.yaml")), "services");
  }

  @Test
  void hasTheDemoServicesWithTheirImages() {
    assertThat(services)
        .containsOnlyKeys("postgres", "redis", "nats", "better-authz", "sample-upstream", "envoy");
    assertThat(str(services, "postgres.image")).startsWith("postgres:");
    assertThat(str(services, "redis.image")).startsWith("redis:");
    assertThat(str(services, "nats.image")).startsWith("nats:");
    assertThat(list(services, "nats.command")).contains("-js");
    assertThat(str(services, "envoy.image")).startsWith("envoyproxy/envoy:v1.");
    assertThat(str(services, "better-authz.build")).isEqualTo(".");
    assertThat(str(services, "sample-upstream.build")).isEqualTo(".");
    assertThat(list(services, "sample-upstream.entrypoint"))
        .contains("dev.betterauthz.demo.SampleUpstream");
  }

  @Test
  void everyServiceHasAHealthCheck() {
    for (String name : services.keySet()) {
      assertThat(list(services, name + ".healthcheck.test")).as(name).isNotEmpty();
    }
    assertThat(list(services, "better-authz.healthcheck.test").toString()).contains("/readyz");
  }

  @Test
  void publishesTheContractPorts() {
    assertThat(list(services, "better-authz.ports"))
        .anyMatch(p -> p.toString().endsWith(":9191:9191"))
        .anyMatch(p -> p.toString().endsWith(":8181:8181"));
    assertThat(list(services, "envoy.ports")).anyMatch(p -> p.toString().endsWith(":8080:8080"));
  }

  @Test
  void mountedFilesExist() {
    int mounts = 0;
    for (String name : services.keySet()) {
      Object volumes = map(services, name).get("volumes");
      if (volumes == null) {
        continue;
      }
      for (Object v : (List<?>) volumes) {
        String source = v.toString().split(":")[0];
        assertThat(source).as(name).startsWith("./");
        assertThat(Path.of(source)).as(name + " mounts " + source).exists();
        mounts++;
      }
    }
    assertThat(mounts).isEqualTo(3);
    assertThat(list(services, "envoy.volumes"))
        .contains("./envoy/envoy.yaml:/etc/envoy/envoy.yaml:ro");
  }

  @Test
  void dependenciesWaitForHealthyServices() {
    for (String name : services.keySet()) {
      Object deps = map(services, name).get("depends_on");
      if (deps == null) {
        continue;
      }
      YamlDocs.asMap(deps)
          .forEach(
              (dep, how) -> {
                assertThat(services).as(name + " depends on " + dep).containsKey(dep);
                assertThat(str(how, "condition")).isEqualTo("service_healthy");
              });
    }
    assertThat(map(services, "envoy.depends_on")).containsKeys("better-authz", "sample-upstream");
  }

  @Test
  void betterAuthzReachesItsBackendsByServiceName() {
    Map<String, Object> env = map(services, "better-authz.environment");
    assertThat(str(env, "AUTHZ_DATABASE_URL")).contains("@postgres:5432/");
    assertThat(str(env, "AUTHZ_REDIS_URL")).isEqualTo("redis://redis:6379");
    assertThat(str(env, "AUTHZ_NATS_URL")).isEqualTo("nats://nats:4222");
    assertThat(str(env, "AUTHZ_POLICY_FILE"))
        .isEqualTo(list(services, "better-authz.volumes").get(0).toString().split(":")[1]);
  }

  @Test
  void envoyClustersPointAtComposeServices() throws IOException {
    Bootstrap envoy = EnvoyConfigs.parse(Files.readString(Path.of("envoy", "envoy.yaml")));
    Set<String> hosts =
        envoy.getStaticResources().getClustersList().stream()
            .map(
                c ->
                    c.getLoadAssignment()
                        .getEndpoints(0)
                        .getLbEndpoints(0)
                        .getEndpoint()
                        .getAddress()
                        .getSocketAddress()
                        .getAddress())
            .collect(Collectors.toSet());
    assertThat(services.keySet()).containsAll(hosts);
  }

  @Test
  void initSqlIsBetterAuthsSchemaPlusIndexesAndDemoRows() throws IOException {
    Path initdb = Path.of("deploy/compose/initdb");
    assertThat(Files.readString(initdb.resolve("01-better-auth-schema.sql")))
        .isEqualTo(
            Files.readString(Path.of("src/main/resources/schema/better-auth-plural-snake.sql")));
    assertThat(Files.readString(initdb.resolve("02-authz-indexes.sql")))
        .contains(
            "idx_users_role ON public.users USING btree (role)",
            "idx_members_user_org ON public.members USING btree (user_id, organization_id)",
            "idx_members_organization_id_role ON public.members USING btree (organization_id, role)");
    assertThat(at(services, "postgres.volumes").toString())
        .contains("./deploy/compose/initdb:/docker-entrypoint-initdb.d");
  }
}
