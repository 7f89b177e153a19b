package dev.betterauthz.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The scenarios' data set in a database of its own, created with Better Auth's plural-snake schema
 * ({@link #SCHEMA_RESOURCE}) plus the three indexes the seed ADR requires: {@code users} users,
 * {@code organizations} organizations, and one membership per user (user {@code i} belongs to
 * organization {@code i mod organizations} with role {@code ROLES[i mod 4]}). Ids carry the run id
 * so Redis keys of different runs never collide. The bench plays Better Auth here: it is the
 * writer, the server under test only reads. Not thread-safe for concurrent {@link #changeRole}.
 */
public final class BenchData implements AutoCloseable {
  public static final String SCHEMA_RESOURCE = "/schema/better-auth-plural-snake.sql";
  public static final List<String> ROLES = List.of("viewer", "staff", "admin", "owner");
  public static final List<String> ADR_INDEXES =
      List.of(
          "CREATE INDEX idx_users_role ON public.users (role)",
          "CREATE INDEX idx_members_user_org ON public.members (user_id, organization_id)",
          "CREATE INDEX idx_members_organization_id_role ON public.members (organization_id, role)");

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final Vertx vertx;
  private final String serverUrl;
  private final String databaseName;
  private final String url;
  private final Pool pool;
  private final String runId;
  private final int users;
  private final int organizations;

  /** One membership row. */
  public record Member(String userId, String organizationId, String role) {}

  private BenchData(String serverUrl, String databaseName, String runId, int users, int orgs) {
    this.vertx = Vertx.vertx();
    this.serverUrl = serverUrl;
    this.databaseName = databaseName;
    this.url = withDatabase(serverUrl, databaseName);
    this.runId = runId;
    this.users = users;
    this.organizations = orgs;
    this.pool = pool(url, 2);
  }

  /**
   * Creates database {@code bench_<runId>} on the server at {@code serverUrl} and loads the data
   * set; {@link #close()} drops it.
   */
  public static BenchData create(String serverUrl, String runId, int users, int organizations) {
    String name = ("bench_" + runId).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    Vertx admin = Vertx.vertx();
    try {
      Pool server =
          PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(serverUrl)).using(admin).build();
      await(server.query("DROP DATABASE IF EXISTS " + name).execute());
      await(server.query("CREATE DATABASE " + name).execute());
      await(server.close());
    } finally {
      await(admin.close());
    }
    BenchData data = new BenchData(serverUrl, name, runId, users, organizations);
    data.load();
    return data;
  }

  private void load() {
    await(pool.query(schemaSql()).execute());
    for (String index : ADR_INDEXES) {
      await(pool.query(index).execute());
    }
    await(
        pool.preparedQuery(
                "INSERT INTO public.organizations (id, name, slug, created_at)"
                    + " SELECT $1 || g, 'Org ' || g, $1 || g, now() FROM generate_series(0, $2 - 1) g")
            .execute(Tuple.of(orgPrefix(), organizations)));
    await(
        pool.preparedQuery(
                "INSERT INTO public.users (id, name, email, email_verified, role, banned)"
                    + " SELECT $1 || g, 'User ' || g, $1 || g || '@bench.test', true, 'user', false"
                    + " FROM generate_series(0, $2 - 1) g")
            .execute(Tuple.of(userPrefix(), users)));
    await(
        pool.preparedQuery(
                "INSERT INTO public.members (id, organization_id, user_id, role, created_at)"
                    + " SELECT 'member-' || g, $1 || (g % $3), $2 || g,"
                    + " ($4::text[])[g % 4 + 1], now() FROM generate_series(0, $5 - 1) g")
            .execute(
                Tuple.of(
                    orgPrefix(),
                    userPrefix(),
                    organizations,
                    ROLES.toArray(new String[0]),
                    users)));
    await(pool.query("ANALYZE").execute());
  }

  /** The schema the data set is loaded into (a copy of the Better Auth fixture). */
  public static String schemaSql() {
    try (InputStream in = BenchData.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + SCHEMA_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** URL of the data set's database (for {@code AUTHZ_DATABASE_URL}). */
  public String url() {
    return url;
  }

  public int users() {
    return users;
  }

  /** The membership of user {@code index} as loaded (before any {@link #changeRole}). */
  public Member member(int index) {
    return member(runId, organizations, index);
  }

  /** The membership of user {@code index} in the data set {@code runId}, without a database. */
  public static Member member(String runId, int organizations, int index) {
    return new Member(
        "user-" + runId + "-" + index,
        "org-" + runId + "-" + (index % organizations),
        ROLES.get(index % ROLES.size()));
  }

  /** Toggles the member's role between viewer and staff (both may read); returns rows changed. */
  public int changeRole(Member member) {
    return await(
            pool.preparedQuery(
                    "UPDATE public.members SET role = CASE WHEN role = 'viewer' THEN 'staff'"
                        + " ELSE 'viewer' END WHERE user_id = $1 AND organization_id = $2")
                .execute(Tuple.of(member.userId(), member.organizationId())))
        .rowCount();
  }

  /** The member's current role, if the membership exists. */
  public Optional<String> role(Member member) {
    var rows =
        await(
            pool.preparedQuery(
                    "SELECT role FROM public.members WHERE user_id = $1 AND organization_id = $2")
                .execute(Tuple.of(member.userId(), member.organizationId())));
    return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0));
  }

  /** Counts rows of a bench table ({@code users}, {@code organizations} or {@code members}). */
  public long count(String table) {
    if (!List.of("users", "organizations", "members").contains(table)) {
      throw new IllegalArgumentException(table);
    }
    return await(pool.query("SELECT count(*) FROM public." + table).execute())
        .iterator()
        .next()
        .getLong(0);
  }

  private String userPrefix() {
    return "user-" + runId + "-";
  }

  private String orgPrefix() {
    return "org-" + runId + "-";
  }

  /** Drops the database. */
  @Override
  public void close() {
    await(pool.close());
    try {
      Pool server = pool(serverUrl, 1);
      await(server.query("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)").execute());
      await(server.close());
    } finally {
      await(vertx.close());
    }
  }

  private Pool pool(String databaseUrl, int size) {
    return PgBuilder.pool()
        .connectingTo(PgConnectOptions.fromUri(databaseUrl))
        .with(new PoolOptions().setMaxSize(size))
        .using(vertx)
        .build();
  }

  static String withDatabase(String serverUrl, String database) {
    URI uri = URI.create(serverUrl);
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    String userInfo = uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@";
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    return uri.getScheme() + "://" + userInfo + uri.getHost() + port + "/" + database + query;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("bench data: " + e.getMessage(), e);
    }
  }
}
