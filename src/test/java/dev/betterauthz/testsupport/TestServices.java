package dev.betterauthz.testsupport;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Real PostgreSQL, Redis and NATS for integration tests. Testcontainers when a Docker engine
 * answers; otherwise {@code AUTHZ_TEST_DATABASE_URL}, {@code AUTHZ_TEST_REDIS_URL} and {@code
 * AUTHZ_TEST_NATS_URL}, defaulting to the services on this machine. A service that does not answer
 * fails the test with a message saying what to start; it never skips.
 */
public final class TestServices {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static volatile Endpoints endpoints;

  private TestServices() {}

  private record Endpoints(String database, String redis, String nats) {}

  /** URL of the server-level database (the {@code postgres} maintenance database). */
  public static String databaseUrl() {
    return endpoints().database;
  }

  public static String redisUrl() {
    return endpoints().redis;
  }

  public static String natsUrl() {
    return endpoints().nats;
  }

  private static synchronized Endpoints endpoints() {
    if (endpoints == null) {
      endpoints = dockerAvailable() ? fromContainers() : fromEnvironment();
    }
    return endpoints;
  }

  private static boolean dockerAvailable() {
    if ("false".equalsIgnoreCase(System.getenv("AUTHZ_TEST_USE_DOCKER"))) {
      return false;
    }
    boolean socket = java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"));
    if (!socket && System.getenv("DOCKER_HOST") == null) {
      return false; // no engine to ask; Testcontainers' own probe would take ~20 s to say so
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable e) {
      return false;
    }
  }

  @SuppressWarnings("resource") // containers live for the JVM; Ryuk removes them
  private static Endpoints fromContainers() {
    GenericContainer<?> pg =
        new GenericContainer<>("postgres:15")
            .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
            .withExposedPorts(5432);
    GenericContainer<?> redis = new GenericContainer<>("redis:7").withExposedPorts(6379);
    GenericContainer<?> nats =
        new GenericContainer<>("nats:2").withCommand("-js").withExposedPorts(4222);
    pg.start();
    redis.start();
    nats.start();
    return new Endpoints(
        "postgresql://postgres@" + pg.getHost() + ":" + pg.getMappedPort(5432) + "/postgres",
        "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379),
        "nats://" + nats.getHost() + ":" + nats.getMappedPort(4222));
  }

  private static Endpoints fromEnvironment() {
    String db = env("AUTHZ_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres");
    String redis = env("AUTHZ_TEST_REDIS_URL", "redis://127.0.0.1:6379");
    String nats = env("AUTHZ_TEST_NATS_URL", "nats://127.0.0.1:4222");
    requireReachable("PostgreSQL", "AUTHZ_TEST_DATABASE_URL", db, 5432);
    requireReachable("Redis", "AUTHZ_TEST_REDIS_URL", redis, 6379);
    requireReachable("NATS", "AUTHZ_TEST_NATS_URL", nats, 4222);
    return new Endpoints(db, redis, nats);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  /** Fails with an actionable message when nothing listens at the URL's host and port. */
  public static void requireReachable(String what, String variable, String url, int defaultPort) {
    URI uri = URI.create(url);
    String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
    int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 2000);
    } catch (IOException e) {
      throw new AssertionError(
          what
              + " is required by this integration test but does not answer at "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "). Start it (bash .ci/run starts the local services) or point "
              + variable
              + " at one.",
          e);
    }
  }

  /**
   * Creates a fresh database loaded with a Better Auth schema fixture and returns its URL. Each
   * integration test gets its own, so tests can run in any order.
   *
   * @param schemaResource e.g. {@code /schema/better-auth-plural-snake.sql}
   */
  public static String createDatabase(String prefix, String schemaResource) {
    String name =
        (prefix + "_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet())
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_]", "_");
    String serverUrl = databaseUrl();
    run(serverUrl, "DROP DATABASE IF EXISTS " + name);
    run(serverUrl, "CREATE DATABASE " + name);
    String url = withDatabase(serverUrl, name);
    run(url, resource(schemaResource));
    return url;
  }

  /** Runs SQL (several statements allowed) as the test's superuser, outside better-authz. */
  public static void run(String url, String sql) {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool =
          PgBuilder.pool()
              .connectingTo(PgConnectOptions.fromUri(url))
              .with(new PoolOptions().setMaxSize(1))
              .using(vertx)
              .build();
      try {
        pool.query(sql)
            .execute()
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
      } finally {
        pool.close();
      }
    } catch (Exception e) {
      throw new AssertionError("SQL failed on " + url + ": " + e.getMessage(), e);
    } finally {
      vertx.close();
    }
  }

  /** The same server URL pointing at another database. */
  public static String withDatabase(String url, String database) {
    URI uri = URI.create(url);
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    return uri.getScheme() + "://" + userInfo + uri.getHost() + port + "/" + database + query;
  }

  /** A classpath resource as UTF-8 text. */
  public static String resource(String path) {
    try (InputStream in = TestServices.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new AssertionError("missing test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
