package dev.betterauthz.doctor;

/**
 * The catalog queries doctor runs: read-only {@code SELECT}s whose only input is a bind parameter
 * {@code $1}, the mapping's quoted table name as text (resolved with {@code to_regclass}, so the
 * connection's {@code search_path} applies exactly as it does for the server's own queries).
 */
final class DoctorQueries {
  private DoctorQueries() {}

  static final String SERVER =
      "SELECT current_setting('server_version') AS version,"
          + " current_setting('server_version_num')::int AS version_num,"
          + " current_user::text AS usr, current_database()::text AS db,"
          + " current_setting('default_transaction_read_only') AS read_only,"
          + " (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user) AS superuser";

  static final String COLUMNS =
      "SELECT c.column_name::text AS name, c.data_type::text AS type"
          + " FROM information_schema.columns c"
          + " JOIN pg_namespace n ON n.nspname = c.table_schema"
          + " JOIN pg_class k ON k.relnamespace = n.oid AND k.relname = c.table_name"
          + " WHERE k.oid = to_regclass($1::text)";

  static final String INDEXES =
      "SELECT ic.relname::text AS name, i.indisunique AS is_unique,"
          + " ARRAY(SELECT a.attname::text"
          + " FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)"
          + " LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
          + " WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS columns"
          + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
          + " WHERE i.indrelid = to_regclass($1::text) AND i.indisvalid AND i.indpred IS NULL";

  static final String PRIVILEGES =
      "SELECT (SELECT n.nspname::text FROM pg_class k JOIN pg_namespace n"
          + " ON n.oid = k.relnamespace WHERE k.oid = to_regclass($1::text)) AS schema,"
          + " has_table_privilege(to_regclass($1::text), 'INSERT') AS can_insert,"
          + " has_table_privilege(to_regclass($1::text), 'UPDATE') AS can_update,"
          + " has_table_privilege(to_regclass($1::text), 'DELETE') AS can_delete,"
          + " has_table_privilege(to_regclass($1::text), 'TRUNCATE') AS can_truncate";
}
