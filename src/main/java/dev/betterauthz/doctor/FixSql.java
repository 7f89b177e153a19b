package dev.betterauthz.doctor;

import dev.betterauthz.tenancy.SchemaMapping;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL doctor <em>prints</em> for the owners of Better Auth's tables. better-authz never runs
 * it: its sessions are read-only, and {@code NoWriteSqlTest} allows write statements in this file
 * only, and checks that doctor executes nothing but {@link DoctorQueries}. Identifiers come from
 * the {@link SchemaMapping} or the server's catalog and are quoted.
 */
final class FixSql {
  static final String READ_ONLY_ROLE = "better_authz_ro";

  private FixSql() {}

  /** {@code CREATE INDEX CONCURRENTLY idx_... ON "table" ("col", ...);} */
  static String createIndex(SchemaMapping mapping, Expectations.RequiredIndex index) {
    String columns =
        index.columns.stream()
            .map(c -> mapping.column(index.table, c))
            .collect(Collectors.joining(", "));
    // NOTE: the ADR's index names are plain lower-case identifiers; printed unquoted.
    return "CREATE INDEX CONCURRENTLY "
        + index.indexName
        + " ON "
        + mapping.table(index.table)
        + " ("
        + columns
        + ");";
  }

  /** A dedicated SELECT-only role, and (unless superuser) revoking writes from the current one. */
  static String readOnlyRole(
      String database,
      List<String> schemas,
      List<String> readTables,
      List<String> publicColumnsOnly,
      List<String> writableTables,
      String currentUser,
      boolean superuser) {
    StringBuilder sql = new StringBuilder();
    sql.append("-- connect better-authz as a role that can only read:\n")
        .append("CREATE ROLE ")
        .append(READ_ONLY_ROLE)
        .append(" LOGIN PASSWORD '<choose one>';\n")
        .append("GRANT CONNECT ON DATABASE ")
        .append(SchemaMapping.quote(database))
        .append(" TO ")
        .append(READ_ONLY_ROLE)
        .append(";\n");
    for (String schema : schemas) {
      sql.append("GRANT USAGE ON SCHEMA ")
          .append(SchemaMapping.quote(schema))
          .append(" TO ")
          .append(READ_ONLY_ROLE)
          .append(";\n");
    }
    sql.append("GRANT SELECT ON ")
        .append(String.join(", ", readTables))
        .append(" TO ")
        .append(READ_ONLY_ROLE)
        .append(";\n");
    for (String tableAndColumns : publicColumnsOnly) {
      int open = tableAndColumns.indexOf(" (");
      sql.append("GRANT SELECT ")
          .append(tableAndColumns.substring(open + 1))
          .append(" ON ")
          .append(tableAndColumns, 0, open)
          .append(" TO ")
          .append(READ_ONLY_ROLE)
          .append(";  -- public key columns only, never private_key\n");
    }
    sql.append(readOnlyDefault(READ_ONLY_ROLE));
    if (superuser) {
      sql.append("\n-- ")
          .append(currentUser)
          .append(" is a superuser: privileges cannot be revoked from it; use the role above.");
    } else {
      sql.append("\n-- or keep ")
          .append(currentUser)
          .append(" and take its write privileges:\n")
          .append("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ")
          .append(String.join(", ", writableTables))
          .append(" FROM ")
          .append(SchemaMapping.quote(currentUser))
          .append(';');
    }
    return sql.toString();
  }

  /** Makes every session of {@code role} read-only by default. */
  static String readOnlyDefault(String role) {
    String quoted = role.equals(READ_ONLY_ROLE) ? role : SchemaMapping.quote(role);
    return "ALTER ROLE " + quoted + " SET default_transaction_read_only = on;";
  }
}
