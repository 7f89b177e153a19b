package dev.betterauthz.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting, parsed and validated once at start ({@link ConfigLoader}). Immutable. Field
 * documentation lives with the variables in the README's settings table.
 */
public record AppConfig(
    ServerConfig server,
    PolicyConfig policy,
    JwtConfig jwt,
    DatabaseConfig database,
    SchemaConfig schema,
    RedisConfig redis,
    NatsConfig nats,
    CacheConfig cache,
    SessionConfig session,
    LogConfig log) {

  /** Listeners and lifecycle. */
  public record ServerConfig(
      String bindAddress,
      int grpcPort,
      int httpPort,
      String httpCheckPrefix,
      Duration shutdownGrace,
      StartupChecks startupChecks) {}

  /** What to do with the schema checks at start ({@code AUTHZ_STARTUP_CHECKS}). */
  public enum StartupChecks {
    WARN,
    STRICT,
    OFF
  }

  /** The policy file and how it is watched. */
  public record PolicyConfig(Path file, Duration reloadPoll) {}

  /**
   * Token verification.
   *
   * @param jwksUrl the issuer's JWKS, or empty when keys come from the {@code jwks} table ({@code
   *     AUTHZ_JWKS_URL=db})
   */
  public record JwtConfig(
      Optional<URI> jwksUrl,
      String issuer,
      List<String> audiences,
      List<String> algorithms,
      Duration clockSkew,
      Duration jwksRefresh,
      Duration jwksMinRefetch,
      Duration jwksMaxStale,
      Duration jwksFetchTimeout,
      int maxTokenBytes,
      int tokenCacheSize,
      String orgClaim,
      String orgRoleClaim) {

    public boolean jwksFromDatabase() {
      return jwksUrl.isEmpty();
    }
  }

  /** Better Auth's PostgreSQL, used read-only. */
  public record DatabaseConfig(
      String url, int poolSize, int maxWaitQueue, Duration queryTimeout, SchemaNaming naming) {}

  /**
   * Renamed tables or columns ({@code table.users=app_users}, {@code column.users.ban_expires=x})
   * and whether per-organization roles are read from {@code organization_roles}.
   */
  public record SchemaConfig(java.util.Map<String, String> overrides, boolean dynamicRoles) {
    public SchemaConfig {
      overrides = java.util.Map.copyOf(overrides);
    }
  }

  /** Table and column naming of the Better Auth schema ({@code AUTHZ_SCHEMA}). */
  public enum SchemaNaming {
    PLURAL_SNAKE("plural-snake"),
    BETTER_AUTH_DEFAULT("better-auth-default");

    private final String value;

    SchemaNaming(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }
  }

  /** The Redis tier; empty url when {@code AUTHZ_REDIS_URL=off}. */
  public record RedisConfig(
      Optional<String> url, Duration timeout, Duration permTtl, Duration negativeTtl) {}

  /** Invalidation events; empty url when {@code AUTHZ_NATS_URL=off}. */
  public record NatsConfig(
      Optional<String> url, String subjectPrefix, Optional<String> jetStreamStream) {}

  /** The in-process tier. */
  public record CacheConfig(
      Duration localTtl, long localMaxEntries, Duration degradedTtl, boolean localEnabled) {}

  /** Better Auth session tokens; disabled when no secret is set. */
  public record SessionConfig(Optional<String> secret, String cookiePrefix, Duration cacheTtl) {
    public boolean enabled() {
      return secret.isPresent();
    }
  }

  /** Logging of decisions. */
  public record LogConfig(double allowSampleRate, boolean json) {}
}
