package dev.betterauthz.tenancy;

import dev.betterauthz.config.AppConfig.SchemaNaming;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Table and column names of the Better Auth schema for one deployment. Code names tables and
 * columns by their <em>logical</em> name (the {@code plural-snake} spelling: {@code users}, {@code
 * ban_expires}); this mapping turns them into the deployment's real, safely quoted identifiers.
 *
 * <p>Built once at start from {@link SchemaNaming} plus overrides ({@code table.users=app_users},
 * {@code table.users=auth.app_users}, {@code column.users.ban_expires=banned_until}). SQL is built
 * from it once ({@link PgQueries}); nothing here ever sees request input. Immutable and
 * thread-safe.
 */
public final class SchemaMapping {

  /** Logical tables and their logical columns, in Better Auth's own column order. */
  private static final Map<String, List<String>> CATALOG = catalog();

  private final SchemaNaming naming;
  private final Map<String, TableName> tables;
  private final Map<String, Map<String, String>> columns;

  /**
   * A real table name, optionally schema-qualified.
   *
   * @param schema the schema, or empty to resolve through the connection's {@code search_path}
   * @param name the table name as stored in {@code pg_class}
   */
  public record TableName(Optional<String> schema, String name) {
    public TableName {
      Objects.requireNonNull(schema, "schema");
      Objects.requireNonNull(name, "name");
    }

    /** The name as SQL: {@code "auth"."app_users"} or {@code "users"}. */
    public String quoted() {
      return schema.map(s -> quote(s) + ".").orElse("") + quote(name);
    }
  }

  private SchemaMapping(
      SchemaNaming naming, Map<String, TableName> tables, Map<String, Map<String, String>> cols) {
    this.naming = naming;
    this.tables = Map.copyOf(tables);
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    cols.forEach((table, c) -> copy.put(table, Map.copyOf(c)));
    this.columns = Map.copyOf(copy);
  }

  /**
   * The mapping for a naming convention plus overrides.
   *
   * @param overrides {@code table.<logical>} or {@code column.<logical table>.<logical column>} to
   *     the real name; may be empty
   * @throws IllegalArgumentException listing every problem of {@link #problems(Map)}
   */
  public static SchemaMapping of(SchemaNaming naming, Map<String, String> overrides) {
    Objects.requireNonNull(naming, "naming");
    List<String> problems = problems(overrides);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid schema mapping overrides: " + String.join("; ", problems));
    }
    Map<String, TableName> tables = new LinkedHashMap<>();
    Map<String, Map<String, String>> cols = new LinkedHashMap<>();
    CATALOG.forEach(
        (table, logicalColumns) -> {
          tables.put(
              table, parseTable(overrides.getOrDefault("table." + table, name(naming, table))));
          Map<String, String> real = new LinkedHashMap<>();
          for (String column : logicalColumns) {
            String key = "column." + table + "." + column;
            real.put(column, overrides.getOrDefault(key, columnName(naming, column)));
          }
          cols.put(table, real);
        });
    return new SchemaMapping(naming, tables, cols);
  }

  /** Every problem with these overrides (unknown keys, empty or unsafe names); empty when valid. */
  public static List<String> problems(Map<String, String> overrides) {
    Objects.requireNonNull(overrides, "overrides");
    List<String> problems = new ArrayList<>();
    overrides.forEach(
        (key, value) -> {
          if (!knownKey(key)) {
            problems.add(
                "unknown key '"
                    + key
                    + "' (expected table.<table> or column.<table>.<column>"
                    + " with plural-snake logical names)");
          } else if (key.startsWith("table.")) {
            problems.addAll(tableProblems(key, value));
          } else {
            identifierProblem(value).ifPresent(p -> problems.add(key + ": " + p));
          }
        });
    return problems;
  }

  /** The logical tables and their logical columns (the plural-snake spelling). */
  public static Map<String, List<String>> logicalCatalog() {
    return CATALOG;
  }

  /**
   * An identifier as a PostgreSQL quoted identifier: in double quotes, embedded quotes doubled.
   *
   * @throws IllegalArgumentException for an empty name or one containing NUL
   */
  public static String quote(String identifier) {
    identifierProblem(identifier)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  public SchemaNaming naming() {
    return naming;
  }

  /** The quoted (and, if configured, schema-qualified) table for a logical table name. */
  public String table(String logicalTable) {
    return tableName(logicalTable).quoted();
  }

  /** The real table name for a logical table name. */
  public TableName tableName(String logicalTable) {
    TableName name = tables.get(logicalTable);
    if (name == null) {
      throw new IllegalArgumentException("unknown logical table " + logicalTable);
    }
    return name;
  }

  /** The quoted column for a logical table and column. */
  public String column(String logicalTable, String logicalColumn) {
    return quote(columnName(logicalTable, logicalColumn));
  }

  /** The real (unquoted) column name for a logical table and column. */
  public String columnName(String logicalTable, String logicalColumn) {
    tableName(logicalTable);
    String name = columns.get(logicalTable).get(logicalColumn);
    if (name == null) {
      throw new IllegalArgumentException("unknown column " + logicalTable + "." + logicalColumn);
    }
    return name;
  }

  @Override
  public String toString() {
    return "SchemaMapping[" + naming.value() + ", " + tables + "]";
  }

  private static boolean knownKey(String key) {
    String[] parts = key.split("\\.", -1);
    if (parts.length == 2 && parts[0].equals("table")) {
      return CATALOG.containsKey(parts[1]);
    }
    return parts.length == 3
        && parts[0].equals("column")
        && CATALOG.containsKey(parts[1])
        && CATALOG.get(parts[1]).contains(parts[2]);
  }

  private static List<String> tableProblems(String key, String value) {
    List<String> problems = new ArrayList<>();
    if (value == null) {
      problems.add(key + ": empty name");
      return problems;
    }
    int dot = value.indexOf('.');
    List<String> parts =
        dot < 0 ? List.of(value) : List.of(value.substring(0, dot), value.substring(dot + 1));
    for (String part : parts) {
      identifierProblem(part).ifPresent(p -> problems.add(key + ": " + p));
    }
    return problems;
  }

  private static Optional<String> identifierProblem(String identifier) {
    if (identifier == null || identifier.isEmpty()) {
      return Optional.of("empty name");
    }
    if (identifier.indexOf('\0') >= 0) {
      return Optional.of("name contains NUL");
    }
    if (identifier.getBytes(StandardCharsets.UTF_8).length > 63) {
      return Optional.of("name '" + identifier + "' is longer than PostgreSQL's 63 bytes");
    }
    return Optional.empty();
  }

  private static TableName parseTable(String value) {
    int dot = value.indexOf('.');
    return dot < 0
        ? new TableName(Optional.empty(), value)
        : new TableName(Optional.of(value.substring(0, dot)), value.substring(dot + 1));
  }

  private static String name(SchemaNaming naming, String logicalTable) {
    if (naming == SchemaNaming.PLURAL_SNAKE || logicalTable.equals("jwks")) {
      return logicalTable;
    }
    String singular = logicalTable.substring(0, logicalTable.length() - 1);
    return camelCase(singular);
  }

  private static String columnName(SchemaNaming naming, String logicalColumn) {
    return naming == SchemaNaming.PLURAL_SNAKE ? logicalColumn : camelCase(logicalColumn);
  }

  private static String camelCase(String snake) {
    StringBuilder out = new StringBuilder(snake.length());
    boolean upper = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  private static Map<String, List<String>> catalog() {
    // NOTE: Better Auth 1.7's tables (admin, organization with teams and dynamic access control,
    // jwt plugins) in the column order its migration creates; see reference/better-auth-schema.sql.
    String[] tables = {
      "users id name email email_verified image created_at updated_at role banned ban_reason"
          + " ban_expires",
      "sessions id expires_at token created_at updated_at ip_address user_agent user_id"
          + " impersonated_by active_organization_id active_team_id",
      "accounts id account_id provider_id user_id access_token refresh_token id_token"
          + " access_token_expires_at refresh_token_expires_at scope password created_at updated_at",
      "verifications id identifier value expires_at created_at updated_at",
      "organizations id name slug logo created_at metadata",
      "members id organization_id user_id role created_at",
      "invitations id organization_id email role team_id status expires_at created_at inviter_id",
      "teams id name member_count organization_id created_at updated_at",
      "team_members id team_id user_id membership_key created_at",
      "organization_roles id organization_id role permission created_at updated_at",
      "jwks id public_key private_key created_at expires_at alg crv"
    };
    Map<String, List<String>> catalog = new LinkedHashMap<>();
    for (String table : tables) {
      List<String> words = List.of(table.split(" "));
      catalog.put(words.get(0), words.subList(1, words.size()));
    }
    return Collections.unmodifiableMap(catalog);
  }
}
