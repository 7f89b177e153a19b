package dev.betterauthz.doctor;

import dev.betterauthz.tenancy.SchemaMapping;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/** Checks that a table of the configured naming exists with the columns and types read. */
final class SchemaCheck {
  private final Catalog catalog;
  private final SchemaMapping mapping;

  SchemaCheck(Catalog catalog, SchemaMapping mapping) {
    this.catalog = catalog;
    this.mapping = mapping;
  }

  CompletionStage<Check> run(Expectations.Table table, String user) {
    String quoted = mapping.table(table.logical());
    return catalog.columns(quoted).thenApply(rows -> evaluate(table, quoted, rows, user));
  }

  private Check evaluate(Expectations.Table table, String quoted, RowSet<Row> rows, String user) {
    String name = "schema " + quoted;
    Check.Status bad = table.required() ? Check.Status.FAIL : Check.Status.WARN;
    Map<String, String> types = new HashMap<>();
    rows.forEach(row -> types.put(row.getString("name"), row.getString("type")));
    if (types.isEmpty()) {
      return new Check(
          name,
          bad,
          "table not found (or "
              + user
              + " may not see it); read for "
              + table.neededFor()
              + (table.required() ? "" : ", so needed only if that feature is on"),
          java.util.Optional.empty());
    }
    List<String> problems = new ArrayList<>();
    boolean withoutTimeZone = false;
    for (Map.Entry<String, Expectations.Type> e : new TreeMap<>(table.columns()).entrySet()) {
      String column = mapping.columnName(table.logical(), e.getKey());
      String actual = types.get(column);
      if (actual == null) {
        problems.add("column " + SchemaMapping.quote(column) + " is missing");
      } else if (!e.getValue().accepted.contains(actual)) {
        problems.add(
            "column "
                + SchemaMapping.quote(column)
                + " is "
                + actual
                + ", expected "
                + e.getValue());
      } else if (actual.equals("timestamp without time zone")) {
        withoutTimeZone = true;
      }
    }
    if (!problems.isEmpty()) {
      return new Check(
          name,
          bad,
          String.join("; ", problems) + " (naming " + mapping.naming().value() + ")",
          java.util.Optional.empty());
    }
    return Check.ok(
        name,
        table.columns().size()
            + " columns as expected"
            + (withoutTimeZone
                ? "; timestamp without time zone is read as UTC (sessions run with TimeZone=UTC)"
                : ""));
  }
}
