package dev.betterauthz.doctor;

import dev.betterauthz.tenancy.SchemaMapping;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Checks that an index the seed ADR requires exists, recognised by its leading key columns (a
 * unique constraint counts; partial and invalid indexes do not). Prints the exact {@code CREATE
 * INDEX CONCURRENTLY} when missing.
 */
final class IndexCheck {
  private final Catalog catalog;
  private final SchemaMapping mapping;

  IndexCheck(Catalog catalog, SchemaMapping mapping) {
    this.catalog = catalog;
    this.mapping = mapping;
  }

  CompletionStage<Check> run(Expectations.RequiredIndex index) {
    return catalog.indexes(mapping.table(index.table)).thenApply(rows -> evaluate(index, rows));
  }

  private Check evaluate(Expectations.RequiredIndex index, RowSet<Row> rows) {
    String name = "index " + index.indexName;
    List<String> wanted =
        index.columns.stream().map(c -> mapping.columnName(index.table, c)).toList();
    for (Row row : rows) {
      List<String> leading = leading(row.getArrayOfStrings("columns"), wanted.size());
      if (leading != null && new HashSet<>(leading).equals(new HashSet<>(wanted))) {
        String how = Boolean.TRUE.equals(row.getBoolean("is_unique")) ? "unique index " : "index ";
        String order =
            leading.equals(wanted)
                ? ""
                : " (columns in the other order; "
                    + SchemaMapping.quote(wanted.get(0))
                    + " first is best)";
        return Check.ok(
            name,
            "present as "
                + how
                + SchemaMapping.quote(row.getString("name"))
                + " on "
                + leading
                + order);
      }
    }
    return Check.fail(
            name,
            "no index on "
                + mapping.table(index.table)
                + " "
                + wanted
                + ": role lookups scan the table")
        .withFix(FixSql.createIndex(mapping, index));
  }

  private static List<String> leading(String[] columns, int count) {
    if (columns == null || columns.length < count) {
      return null;
    }
    List<String> first = java.util.Arrays.asList(columns).subList(0, count);
    return first.contains(null) ? null : first;
  }
}
