package dev.betterauthz.token;

import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.tenancy.BackendUnavailableException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Looks sessions up in Better Auth's session table with one prepared, read-only statement:
 *
 * <pre>{@code
 * SELECT user_id, expires_at, created_at, active_organization_id
 *   FROM sessions WHERE token = $1 AND expires_at > now()
 * }</pre>
 *
 * (names per {@link Names}). The statement has a timeout; any failure (connection refused, timeout,
 * SQL error, an unexpected column type) completes the stage exceptionally with {@link
 * BackendUnavailableException}, whose message never contains the token.
 *
 * <p><b>Time zones.</b> {@code expires_at > now()} is exact for {@code timestamptz} columns, which
 * Better Auth's Kysely migrations (1.4 and later) create. Drizzle-generated schemas use {@code
 * timestamp without time zone} holding UTC wall-clock time; there PostgreSQL compares in the
 * session's {@code TimeZone}, so the pool's connections must run with {@code TimeZone=UTC}. Such
 * values are read as UTC, and {@link SessionTokenVerifier} checks {@code expiresAt} again against
 * its own clock, so a mismatch can only refuse a session, never extend one.
 *
 * <p>Thread-safe; the pool is shared and owned by the caller.
 */
public final class PgSessionRepository implements SessionRepository {

  private final Pool pool;
  private final String sql;
  private final Duration timeout;

  /**
   * Table and column names as they appear in SQL, already quoted where needed (for example {@code
   * "session"}, {@code "userId"}). They come from code, never from a request; each must be a plain
   * or double-quoted identifier, optionally schema-qualified.
   */
  public record Names(
      String table,
      String token,
      String userId,
      String expiresAt,
      String createdAt,
      String activeOrganizationId) {

    private static final String PART = "(\"[^\"\\x00]+\"|[A-Za-z_][A-Za-z0-9_$]*)";
    private static final Pattern IDENTIFIER = Pattern.compile(PART + "(\\." + PART + ")?");

    /** {@code sessions(token, user_id, expires_at, created_at, active_organization_id)}. */
    public static final Names PLURAL_SNAKE =
        new Names(
            "sessions", "token", "user_id", "expires_at", "created_at", "active_organization_id");

    /** Better Auth's own naming: {@code "session"("token", "userId", "expiresAt", ...)}. */
    public static final Names BETTER_AUTH_DEFAULT =
        new Names(
            "\"session\"",
            "\"token\"",
            "\"userId\"",
            "\"expiresAt\"",
            "\"createdAt\"",
            "\"activeOrganizationId\"");

    public Names {
      for (String name :
          new String[] {table, token, userId, expiresAt, createdAt, activeOrganizationId}) {
        Objects.requireNonNull(name, "name");
        if (!IDENTIFIER.matcher(name).matches()) {
          throw new IllegalArgumentException("not an SQL identifier: " + name);
        }
      }
    }

    /** The names for an {@code AUTHZ_SCHEMA} setting. */
    public static Names of(SchemaNaming naming) {
      return switch (naming) {
        case PLURAL_SNAKE -> PLURAL_SNAKE;
        case BETTER_AUTH_DEFAULT -> BETTER_AUTH_DEFAULT;
      };
    }
  }

  /**
   * @param pool a pool on Better Auth's database (ideally read-only connections), owned by the
   *     caller
   * @param names the session table's naming
   * @param timeout how long one lookup may take before the stage fails
   */
  public PgSessionRepository(Pool pool, Names names, Duration timeout) {
    this.pool = Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(names, "names");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    this.sql = selectFor(names);
  }

  /** A repository over {@code sessions} with plural snake_case columns. */
  public static PgSessionRepository pluralSnake(Pool pool, Duration timeout) {
    return new PgSessionRepository(pool, Names.PLURAL_SNAKE, timeout);
  }

  /** A repository over Better Auth's default {@code "session"} table and camelCase columns. */
  public static PgSessionRepository betterAuthDefault(Pool pool, Duration timeout) {
    return new PgSessionRepository(pool, Names.BETTER_AUTH_DEFAULT, timeout);
  }

  /** The statement this repository runs; for {@code doctor} output and tests. */
  public String sql() {
    return sql;
  }

  @Override
  public CompletionStage<Optional<SessionRow>> findByToken(String token) {
    Objects.requireNonNull(token, "token");
    Future<Optional<SessionRow>> lookup;
    try {
      lookup =
          pool.preparedQuery(sql)
              .execute(Tuple.of(token))
              .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .map(PgSessionRepository::firstRow);
    } catch (RuntimeException e) {
      // e.g. a pool that was already closed throws instead of failing the future.
      lookup = Future.failedFuture(e);
    }
    return lookup
        .<Optional<SessionRow>>recover(
            e ->
                Future.failedFuture(
                    new BackendUnavailableException(
                        "session lookup failed: " + e.getClass().getSimpleName(), e)))
        .toCompletionStage();
  }

  private static String selectFor(Names n) {
    return "SELECT "
        + String.join(", ", n.userId(), n.expiresAt(), n.createdAt(), n.activeOrganizationId())
        + " FROM "
        + n.table()
        + " WHERE "
        + n.token()
        + " = $1 AND "
        + n.expiresAt()
        + " > now()";
  }

  private static Optional<SessionRow> firstRow(RowSet<Row> rows) {
    RowIterator<Row> it = rows.iterator();
    if (!it.hasNext()) {
      return Optional.empty();
    }
    Row row = it.next();
    return Optional.of(
        new SessionRow(
            row.getString(0),
            instant(row.getValue(1)),
            instant(row.getValue(2)),
            Optional.ofNullable(row.getString(3))));
  }

  /** {@code timestamptz} arrives as an offset time; {@code timestamp} as UTC wall-clock time. */
  private static Instant instant(Object value) {
    if (value instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (value instanceof LocalDateTime ldt) {
      return ldt.toInstant(ZoneOffset.UTC);
    }
    throw new IllegalStateException(
        "session timestamp has unexpected type "
            + (value == null ? "null" : value.getClass().getSimpleName()));
  }
}
