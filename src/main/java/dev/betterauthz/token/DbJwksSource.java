package dev.betterauthz.token;

import dev.betterauthz.config.AppConfig.JwtConfig;
import dev.betterauthz.config.AppConfig.SchemaNaming;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * Keys read from Better Auth's {@code jwks} table ({@code AUTHZ_JWKS_URL=db}), read-only: {@code
 * SELECT id, public_key, alg, crv, expires_at}; the {@code private_key} column is never selected.
 * The {@code kid} is the row's {@code id}; a NULL {@code alg} means {@code EdDSA} (Better Auth's
 * default); a key stays usable until {@code expires_at + grace} (Better Auth serves expired keys
 * for 30 days by default), checked again at each verification. Refresh rules: {@link
 * RefreshingKeySource}. Thread-safe.
 */
public final class DbJwksSource extends RefreshingKeySource {
  /** Better Auth's default grace period after a key's {@code expires_at}. */
  public static final Duration DEFAULT_GRACE = Duration.ofDays(30);

  private static final Pattern IDENTIFIER =
      Pattern.compile("[a-z_][a-z0-9_$]*|\"[^\"\\x00]+\"(\\.\"[^\"\\x00]+\")?");

  /**
   * Table and column names, as SQL identifiers already quoted where needed (they are written into
   * the query, so each must be a plain lower-case identifier or a double-quoted one).
   */
  public record Columns(
      String table, String id, String publicKey, String alg, String crv, String expiresAt) {
    public Columns {
      for (String name : List.of(table, id, publicKey, alg, crv, expiresAt)) {
        if (!IDENTIFIER.matcher(Objects.requireNonNull(name, "identifier")).matches()) {
          throw new IllegalArgumentException("not a SQL identifier: " + name);
        }
      }
    }

    /** {@code AUTHZ_SCHEMA=plural-snake}: {@code jwks(id, public_key, alg, crv, expires_at)}. */
    public static Columns pluralSnake() {
      return new Columns("jwks", "id", "public_key", "alg", "crv", "expires_at");
    }

    /** {@code AUTHZ_SCHEMA=better-auth-default}: {@code "jwks"("id", "publicKey", ...)}. */
    public static Columns betterAuthDefault() {
      return new Columns(
          "\"jwks\"", "\"id\"", "\"publicKey\"", "\"alg\"", "\"crv\"", "\"expiresAt\"");
    }

    /** The names for a schema naming ({@code AUTHZ_SCHEMA}). */
    public static Columns of(SchemaNaming naming) {
      return switch (naming) {
        case PLURAL_SNAKE -> pluralSnake();
        case BETTER_AUTH_DEFAULT -> betterAuthDefault();
      };
    }

    String selectSql() {
      return "SELECT " + String.join(", ", id, publicKey, alg, crv, expiresAt) + " FROM " + table;
    }
  }

  private final Pool pool;
  private final String sql;
  private final Duration grace;

  public DbJwksSource(JwtConfig config, Pool pool, Columns names, Duration grace, Clock clock) {
    super(config, clock, "jwks-db");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.sql = Objects.requireNonNull(names, "names").selectSql();
    this.grace = Objects.requireNonNull(grace, "grace");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative");
    }
  }

  @Override
  protected CompletionStage<List<VerificationKey>> fetch() {
    return pool.preparedQuery(sql)
        .execute()
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(config().jwksFetchTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(this::toKeys);
  }

  private List<VerificationKey> toKeys(RowSet<Row> rows) {
    Instant now = clock().instant();
    List<VerificationKey> keys = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (Row row : rows) {
      Optional<Instant> notAfter = expiry(row.getValue(4)).map(at -> at.plus(grace));
      if (notAfter.isPresent() && now.isAfter(notAfter.get())) {
        continue; // past its grace: Better Auth no longer serves it either
      }
      String kid = row.getString(0);
      Optional<VerificationKey> key =
          toKey(kid, row.getString(1), row.getString(2), row.getString(3));
      if (key.isPresent()) {
        keys.add(key.get().withNotAfter(notAfter));
      } else {
        skipped.add("kid=" + kid + " alg=" + row.getString(2) + " crv=" + row.getString(3));
      }
    }
    return keep(new JsonWebKeys.Parsed(keys, skipped));
  }

  private static Optional<VerificationKey> toKey(
      String kid, String publicKeyJson, String alg, String crv) {
    try {
      // NOTE: jose4j's parsed map refuses to overwrite a key, and a stored JWK may carry its own
      // kid; Better Auth signs with kid = jwks.id, so the row id wins.
      Map<String, Object> jwk = new java.util.LinkedHashMap<>(JsonUtil.parseJson(publicKeyJson));
      String expected = alg == null ? "EdDSA" : alg;
      Object declared = jwk.putIfAbsent("alg", expected);
      if (declared != null && !declared.equals(expected)) {
        return Optional.empty();
      }
      if (crv != null) {
        jwk.putIfAbsent("crv", crv);
      }
      jwk.put("kid", kid);
      return JsonWebKeys.parseKey(jwk);
    } catch (JoseException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<Instant> expiry(Object value) {
    if (value instanceof OffsetDateTime odt) {
      return Optional.of(odt.toInstant());
    }
    if (value instanceof LocalDateTime ldt) {
      // Drizzle writes UTC wall-clock time into "timestamp without time zone".
      return Optional.of(ldt.toInstant(ZoneOffset.UTC));
    }
    return Optional.empty();
  }
}
