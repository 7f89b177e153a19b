package dev.betterauthz.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @Test
  void defaultsFollowTheDesign() throws ConfigException {
    AppConfig c = ConfigLoader.fromEnv(Map.of());
    assertThat(c.server().grpcPort()).isEqualTo(9191);
    assertThat(c.server().httpPort()).isEqualTo(8181);
    assertThat(c.policy().file()).isEqualTo(Path.of("policy.yaml"));
    assertThat(c.jwt().jwksUrl())
        .hasValueSatisfying(u -> assertThat(u).hasToString(ConfigLoader.DEFAULT_JWKS_URL));
    assertThat(c.jwt().issuer()).isEqualTo("http://127.0.0.1:3000");
    assertThat(c.jwt().audiences()).containsExactly("http://127.0.0.1:3000");
    assertThat(c.jwt().algorithms()).contains("EdDSA").doesNotContain("HS256", "none");
    assertThat(c.database().url()).isEqualTo("postgresql://postgres@127.0.0.1:5432/postgres");
    assertThat(c.database().naming()).isEqualTo(AppConfig.SchemaNaming.PLURAL_SNAKE);
    assertThat(c.redis().url()).contains("redis://127.0.0.1:6379");
    assertThat(c.redis().permTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.nats().url()).contains("nats://127.0.0.1:4222");
    assertThat(c.session().enabled()).isFalse();
  }

  @Test
  void offDisablesRedisAndNats() throws ConfigException {
    AppConfig c = ConfigLoader.fromEnv(Map.of("AUTHZ_REDIS_URL", "off", "AUTHZ_NATS_URL", "OFF"));
    assertThat(c.redis().url()).isEmpty();
    assertThat(c.nats().url()).isEmpty();
  }

  @Test
  void jwksFromDatabaseNeedsAnIssuer() {
    assertThatThrownBy(() -> ConfigLoader.fromEnv(Map.of("AUTHZ_JWKS_URL", "db")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("AUTHZ_JWT_ISSUER is required");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    Map<String, String> env =
        Map.of(
            "AUTHZ_GRPC_PORT", "ninety",
            "AUTHZ_HTTP_PORT", "70000",
            "AUTHZ_PERM_CACHE_TTL", "5 minutes",
            "AUTHZ_SCHEMA", "camel",
            "AUTHZ_JWT_ALGORITHMS", "EdDSA,HS256",
            "AUTHZ_GRPC_PROT", "1");
    assertThatThrownBy(() -> ConfigLoader.fromEnv(env))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.problems()).hasSize(6);
              assertThat(e.getMessage())
                  .contains("AUTHZ_GRPC_PORT=ninety: expected a whole number")
                  .contains("AUTHZ_HTTP_PORT=70000: must be between 0 and 65535")
                  .contains("AUTHZ_PERM_CACHE_TTL=5 minutes: expected a duration")
                  .contains("AUTHZ_SCHEMA=camel: expected one of")
                  .contains("HS256 is not supported")
                  .contains(
                      "AUTHZ_GRPC_PROT is not a known setting (did you mean AUTHZ_GRPC_PORT?)");
            });
  }

  @Test
  void testVariablesAreNotSettings() throws ConfigException {
    ConfigLoader.fromEnv(Map.of("AUTHZ_TEST_DATABASE_URL", "postgresql://x/y"));
  }

  @Test
  void yamlFileHoldsTheSameKeysAndTheEnvironmentWins(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("authz.yaml");
    Files.writeString(
        file,
        "AUTHZ_GRPC_PORT: 9300\n"
            + "AUTHZ_JWT_AUDIENCE: [api-a, api-b]\n"
            + "AUTHZ_SCHEMA_OVERRIDES:\n  table.users: app_users\n"
            + "AUTHZ_HTTP_PORT: 9400\n");
    AppConfig c =
        ConfigLoader.fromEnv(Map.of("AUTHZ_CONFIG", file.toString(), "AUTHZ_HTTP_PORT", "9500"));
    assertThat(c.server().grpcPort()).isEqualTo(9300);
    assertThat(c.server().httpPort()).isEqualTo(9500);
    assertThat(c.jwt().audiences()).containsExactly("api-a", "api-b");
    assertThat(c.schema().overrides()).containsEntry("table.users", "app_users");
  }

  @Test
  void unreadableOrInvalidFileIsAProblem(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "AUTHZ_GRPC_PORT: [unclosed\n");
    assertThatThrownBy(() -> ConfigLoader.fromEnv(Map.of("AUTHZ_CONFIG", bad.toString())))
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(
            () -> ConfigLoader.fromEnv(Map.of("AUTHZ_CONFIG", dir.resolve("nope").toString())))
        .hasMessageContaining("cannot read the file");
  }

  @Test
  void descriptionMasksSecretsAndPasswords() throws ConfigException {
    AppConfig c =
        ConfigLoader.fromEnv(
            Map.of(
                "AUTHZ_DATABASE_URL", "postgresql://authz:s3cret@db:5432/app",
                "AUTHZ_REDIS_URL", "redis://:hunter2@cache:6379",
                "AUTHZ_BETTER_AUTH_SECRET", "a-very-long-better-auth-secret-value"));
    String shown = ConfigDescription.describe(c).toString();
    assertThat(shown).doesNotContain("s3cret", "hunter2", "a-very-long-better-auth-secret-value");
    assertThat(shown).contains("postgresql://authz:****@db:5432/app").contains("sessions=on");
  }

  @Test
  void durationsAcceptCommonUnits() throws ConfigException {
    AppConfig c =
        ConfigLoader.fromEnv(
            Map.of(
                "AUTHZ_PERM_CACHE_TTL", "90s",
                "AUTHZ_REDIS_TIMEOUT", "250ms",
                "AUTHZ_JWKS_MAX_STALE", "2d"));
    assertThat(c.redis().permTtl()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.redis().timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.jwt().jwksMaxStale()).isEqualTo(Duration.ofDays(2));
    assertThat(List.of(c.jwt().clockSkew())).containsExactly(Duration.ofSeconds(30));
  }
}
