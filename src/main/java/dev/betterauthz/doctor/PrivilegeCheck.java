package dev.betterauthz.doctor;

import dev.betterauthz.tenancy.SchemaMapping;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Checks whether better-authz's database user could write to Better Auth's tables (a superuser
 * always can). better-authz never writes, but a role that cannot is the proof; the advice creates
 * one.
 */
final class PrivilegeCheck {
  static final List<String> JWKS_PUBLIC_COLUMNS =
      List.of("id", "public_key", "alg", "crv", "expires_at");

  private final Catalog catalog;
  private final SchemaMapping mapping;

  PrivilegeCheck(Catalog catalog, SchemaMapping mapping) {
    this.catalog = catalog;
    this.mapping = mapping;
  }

  /** Privileges of one existing table; empty when the table does not exist. */
  private record TablePrivileges(String quoted, String schema, boolean writable) {}

  CompletionStage<Check> run(Catalog.Server server) {
    CompletionStage<List<TablePrivileges>> all =
        CompletableFuture.completedFuture(new ArrayList<>());
    for (String logical : SchemaMapping.logicalCatalog().keySet()) {
      String quoted = mapping.table(logical);
      all =
          all.thenCompose(
              list ->
                  catalog
                      .privileges(quoted)
                      .thenApply(
                          rows -> {
                            toPrivileges(quoted, rows.iterator().next()).ifPresent(list::add);
                            return list;
                          }));
    }
    return all.thenApply(list -> evaluate(server, list));
  }

  private static Optional<TablePrivileges> toPrivileges(String quoted, Row row) {
    String schema = row.getString("schema");
    if (schema == null) {
      return Optional.empty();
    }
    boolean writable =
        Boolean.TRUE.equals(row.getBoolean("can_insert"))
            || Boolean.TRUE.equals(row.getBoolean("can_update"))
            || Boolean.TRUE.equals(row.getBoolean("can_delete"))
            || Boolean.TRUE.equals(row.getBoolean("can_truncate"));
    return Optional.of(new TablePrivileges(quoted, schema, writable));
  }

  private Check evaluate(Catalog.Server server, List<TablePrivileges> tables) {
    List<String> writable =
        tables.stream().filter(TablePrivileges::writable).map(TablePrivileges::quoted).toList();
    if (writable.isEmpty() && !server.superuser()) {
      return Check.ok(
          "privileges",
          "user "
              + server.user()
              + " cannot INSERT, UPDATE, DELETE or TRUNCATE Better Auth's tables");
    }
    Set<String> schemas = new TreeSet<>();
    tables.forEach(t -> schemas.add(t.schema()));
    List<String> readTables = new ArrayList<>();
    List<String> publicColumnsOnly = new ArrayList<>();
    for (Expectations.Table table : Expectations.TABLES) {
      String quoted = mapping.table(table.logical());
      if (tables.stream().noneMatch(t -> t.quoted().equals(quoted))) {
        continue;
      }
      if (table.logical().equals("jwks")) {
        // NOTE: never grant the private_key column; better-authz reads public keys only.
        publicColumnsOnly.add(
            quoted
                + " ("
                + String.join(
                    ", ", JWKS_PUBLIC_COLUMNS.stream().map(c -> mapping.column("jwks", c)).toList())
                + ")");
      } else {
        readTables.add(quoted);
      }
    }
    String detail =
        server.superuser()
            ? "user " + server.user() + " is a superuser and could write every table"
            : "user " + server.user() + " could write " + String.join(", ", writable);
    return Check.warn("privileges", detail + "; better-authz only reads, so use a read-only role")
        .withFix(
            FixSql.readOnlyRole(
                server.database(),
                List.copyOf(schemas),
                readTables,
                publicColumnsOnly,
                writable,
                server.user(),
                server.superuser()));
  }
}
