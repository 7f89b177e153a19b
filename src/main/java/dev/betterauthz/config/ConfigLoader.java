package dev.betterauthz.config;

import dev.betterauthz.config.AppConfig.CacheConfig;
import dev.betterauthz.config.AppConfig.DatabaseConfig;
import dev.betterauthz.config.AppConfig.JwtConfig;
import dev.betterauthz.config.AppConfig.LogConfig;
import dev.betterauthz.config.AppConfig.NatsConfig;
import dev.betterauthz.config.AppConfig.PolicyConfig;
import dev.betterauthz.config.AppConfig.RedisConfig;
import dev.betterauthz.config.AppConfig.SchemaConfig;
import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.config.AppConfig.ServerConfig;
import dev.betterauthz.config.AppConfig.SessionConfig;
import dev.betterauthz.config.AppConfig.StartupChecks;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds {@link AppConfig} from environment variables and, when {@code AUTHZ_CONFIG} names one, a
 * YAML file holding the same keys (the environment wins). Pure: tests pass a map. Every problem is
 * collected into one {@link ConfigException}.
 */
public final class ConfigLoader {
  static final String DEFAULT_JWKS_URL = "http://127.0.0.1:3000/api/auth/jwks";
  static final String DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
  static final List<String> DEFAULT_ALGORITHMS =
      List.of("EdDSA", "ES256", "ES512", "RS256", "PS256");
  private static final Duration MS = Duration.ofMillis(1);
  private static final Duration DAY = Duration.ofDays(1);
  private static final Duration YEAR = Duration.ofDays(366);

  private ConfigLoader() {}

  /** Loads from the process environment (and the optional {@code AUTHZ_CONFIG} file). */
  public static AppConfig fromEnvironment() throws ConfigException {
    return fromEnv(System.getenv());
  }

  /** Loads from the given variables (and the optional {@code AUTHZ_CONFIG} file they name). */
  public static AppConfig fromEnv(Map<String, String> env) throws ConfigException {
    List<String> problems = new ArrayList<>();
    Map<String, String> merged = new HashMap<>();
    String file = env.get("AUTHZ_CONFIG");
    if (file != null && !file.isBlank()) {
      merged.putAll(ConfigFile.read(Path.of(file.trim()), problems));
    }
    env.forEach(
        (k, v) -> {
          if (k.startsWith("AUTHZ_")) {
            merged.put(k, v);
          }
        });
    problems.addAll(ConfigKeys.unknown(merged.keySet()));
    Settings s = new Settings(merged);
    AppConfig config = build(s);
    problems.addAll(s.problems());
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  private static AppConfig build(Settings s) {
    ServerConfig server =
        new ServerConfig(
            s.string("AUTHZ_BIND_ADDRESS", "0.0.0.0"),
            s.integer("AUTHZ_GRPC_PORT", 9191, 0, 65535),
            s.integer("AUTHZ_HTTP_PORT", 8181, 0, 65535),
            prefix(s),
            s.duration("AUTHZ_SHUTDOWN_GRACE", Duration.ofSeconds(10), Duration.ZERO, YEAR),
            s.choice(
                "AUTHZ_STARTUP_CHECKS",
                StartupChecks.WARN,
                Map.of(
                    "warn", StartupChecks.WARN,
                    "strict", StartupChecks.STRICT,
                    "off", StartupChecks.OFF)));
    if (server.grpcPort() != 0 && server.grpcPort() == server.httpPort()) {
      s.problem("AUTHZ_GRPC_PORT and AUTHZ_HTTP_PORT must differ (both " + server.grpcPort() + ")");
    }
    PolicyConfig policy =
        new PolicyConfig(
            Path.of(s.string("AUTHZ_POLICY_FILE", "policy.yaml")),
            s.duration("AUTHZ_POLICY_RELOAD_INTERVAL", Duration.ofSeconds(1), MS, DAY));
    return new AppConfig(
        server,
        policy,
        jwt(s),
        database(s),
        schema(s),
        redis(s),
        nats(s),
        cache(s),
        session(s),
        new LogConfig(
            s.fraction("AUTHZ_LOG_ALLOW_SAMPLE", 1.0),
            !"text".equalsIgnoreCase(s.string("AUTHZ_LOG_FORMAT", "json"))));
  }

  private static String prefix(Settings s) {
    String prefix = s.string("AUTHZ_HTTP_CHECK_PREFIX", "/check");
    if (!prefix.startsWith("/") || prefix.length() < 2 || prefix.endsWith("/")) {
      s.problem("AUTHZ_HTTP_CHECK_PREFIX=" + prefix + ": expected a path like /check");
      return "/check";
    }
    return prefix;
  }

  private static JwtConfig jwt(Settings s) {
    String jwks = s.string("AUTHZ_JWKS_URL", DEFAULT_JWKS_URL);
    Optional<URI> jwksUrl =
        jwks.equalsIgnoreCase("db")
            ? Optional.empty()
            : s.uri("AUTHZ_JWKS_URL", jwks, List.of("http", "https"));
    String origin = jwksUrl.map(ConfigLoader::origin).orElse("");
    Optional<String> issuer = s.optional("AUTHZ_JWT_ISSUER");
    if (jwks.equalsIgnoreCase("db") && issuer.isEmpty()) {
      s.problem(
          "AUTHZ_JWT_ISSUER is required when AUTHZ_JWKS_URL=db (Better Auth's baseURL origin)");
    }
    String iss = issuer.orElse(origin);
    List<String> audiences = s.list("AUTHZ_JWT_AUDIENCE", List.of(iss));
    List<String> algorithms = s.list("AUTHZ_JWT_ALGORITHMS", DEFAULT_ALGORITHMS);
    for (String alg : algorithms) {
      if (!DEFAULT_ALGORITHMS.contains(alg)) {
        s.problem(
            "AUTHZ_JWT_ALGORITHMS: "
                + alg
                + " is not supported (allowed: "
                + String.join(", ", DEFAULT_ALGORITHMS)
                + "; none and HMAC are never accepted)");
      }
    }
    return new JwtConfig(
        jwksUrl,
        iss,
        audiences,
        algorithms,
        s.duration(
            "AUTHZ_JWT_CLOCK_SKEW", Duration.ofSeconds(30), Duration.ZERO, Duration.ofMinutes(10)),
        s.duration("AUTHZ_JWKS_REFRESH", Duration.ofMinutes(5), Duration.ofSeconds(1), DAY),
        s.duration("AUTHZ_JWKS_MIN_REFETCH", Duration.ofSeconds(30), MS, DAY),
        s.duration(
            "AUTHZ_JWKS_MAX_STALE",
            Duration.ofHours(24),
            Duration.ofSeconds(1),
            Duration.ofDays(30)),
        s.duration("AUTHZ_JWKS_TIMEOUT", Duration.ofSeconds(2), MS, Duration.ofMinutes(1)),
        s.integer("AUTHZ_JWT_MAX_BYTES", 8192, 256, 1 << 20),
        s.integer("AUTHZ_TOKEN_CACHE_SIZE", 100_000, 0, 10_000_000),
        s.string("AUTHZ_CLAIM_ORG", "organizationId"),
        s.string("AUTHZ_CLAIM_ORG_ROLE", "orgRole"));
  }

  private static String origin(URI uri) {
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + port;
  }

  private static DatabaseConfig database(Settings s) {
    String url = s.string("AUTHZ_DATABASE_URL", DEFAULT_DATABASE_URL);
    s.uri("AUTHZ_DATABASE_URL", url, List.of("postgresql", "postgres"));
    return new DatabaseConfig(
        url,
        s.integer("AUTHZ_DATABASE_POOL_SIZE", 4, 1, 256),
        s.integer("AUTHZ_DATABASE_MAX_WAIT_QUEUE", 256, 1, 100_000),
        s.duration("AUTHZ_DATABASE_TIMEOUT", Duration.ofSeconds(1), MS, Duration.ofMinutes(1)),
        s.choice(
            "AUTHZ_SCHEMA",
            SchemaNaming.PLURAL_SNAKE,
            Map.of(
                "plural-snake", SchemaNaming.PLURAL_SNAKE,
                "better-auth-default", SchemaNaming.BETTER_AUTH_DEFAULT)));
  }

  private static SchemaConfig schema(Settings s) {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String pair : s.list("AUTHZ_SCHEMA_OVERRIDES", List.of())) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        s.problem(
            "AUTHZ_SCHEMA_OVERRIDES: '" + pair + "' is not key=name (e.g. table.users=app_users)");
      } else {
        overrides.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return new SchemaConfig(overrides, s.bool("AUTHZ_DYNAMIC_ROLES", false));
  }

  private static RedisConfig redis(Settings s) {
    String url = s.string("AUTHZ_REDIS_URL", "redis://127.0.0.1:6379");
    Optional<String> redisUrl = Optional.empty();
    if (!url.equalsIgnoreCase("off")) {
      redisUrl = s.uri("AUTHZ_REDIS_URL", url, List.of("redis", "rediss")).map(u -> url);
    }
    return new RedisConfig(
        redisUrl,
        s.duration("AUTHZ_REDIS_TIMEOUT", Duration.ofMillis(50), MS, Duration.ofSeconds(10)),
        s.duration("AUTHZ_PERM_CACHE_TTL", Duration.ofMinutes(5), Duration.ofSeconds(1), DAY),
        s.duration(
            "AUTHZ_NEGATIVE_CACHE_TTL",
            Duration.ofSeconds(10),
            Duration.ofSeconds(1),
            Duration.ofMinutes(10)));
  }

  private static NatsConfig nats(Settings s) {
    String url = s.string("AUTHZ_NATS_URL", "nats://127.0.0.1:4222");
    Optional<String> natsUrl = Optional.empty();
    if (!url.equalsIgnoreCase("off")) {
      for (String one : url.split(",")) {
        s.uri("AUTHZ_NATS_URL", one.trim(), List.of("nats", "tls"));
      }
      natsUrl = Optional.of(url);
    }
    String prefix = s.string("AUTHZ_NATS_SUBJECT_PREFIX", "");
    if (!prefix.isEmpty() && !prefix.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.")) {
      s.problem(
          "AUTHZ_NATS_SUBJECT_PREFIX="
              + prefix
              + ": expected tokens ending with a dot, like 'prod.'");
    }
    return new NatsConfig(natsUrl, prefix, s.optional("AUTHZ_NATS_STREAM"));
  }

  private static CacheConfig cache(Settings s) {
    return new CacheConfig(
        s.duration("AUTHZ_LOCAL_CACHE_TTL", Duration.ofSeconds(60), MS, DAY),
        s.longValue("AUTHZ_LOCAL_CACHE_MAX_ENTRIES", 200_000, 0, 100_000_000),
        s.duration("AUTHZ_DEGRADED_CACHE_TTL", Duration.ofSeconds(5), MS, Duration.ofHours(1)),
        s.bool("AUTHZ_LOCAL_CACHE", true));
  }

  private static SessionConfig session(Settings s) {
    Optional<String> secret = s.optional("AUTHZ_BETTER_AUTH_SECRET");
    if (secret.isPresent() && secret.get().length() < 16) {
      s.problem(
          "AUTHZ_BETTER_AUTH_SECRET is too short (Better Auth requires at least 32 characters)");
    }
    return new SessionConfig(
        secret,
        s.string("AUTHZ_SESSION_COOKIE_PREFIX", "better-auth"),
        s.duration(
            "AUTHZ_SESSION_CACHE_TTL", Duration.ofSeconds(10), Duration.ZERO, Duration.ofHours(1)));
  }
}
