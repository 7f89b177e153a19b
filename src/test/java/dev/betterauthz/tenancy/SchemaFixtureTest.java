package dev.betterauthz.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.testsupport.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The schema fixtures are what Better Auth really creates: the plural-snake one is byte for byte
 * the shared reference dump, and the default-naming one has the same tables, columns, types and
 * nullability under Better Auth's own names.
 */
class SchemaFixtureTest {
  private static final String PLURAL = "/schema/better-auth-plural-snake.sql";
  private static final String DEFAULT = "/schema/better-auth-default.sql";
  private static final Pattern TABLE =
      Pattern.compile("(?is)create table\\s+(?:public\\.)?\"?(\\w+)\"?\\s*\\((.*?)\\n\\);");
  private static final Pattern COLUMN =
      Pattern.compile(
          "(?i)^\"?(\\w+)\"?\\s+(.+?)(\\s+(not null|default|primary|unique|references)\\b.*)?$");

  /** A column's type (normalised) and whether it is NOT NULL. */
  record Column(String type, boolean notNull) {}

  @Test
  void pluralSnakeFixtureIsTheSharedReference() throws IOException {
    Optional<Path> reference = reference();
    if (reference.isPresent()) {
      assertThat(TestServices.resource(PLURAL))
          .as("fixture must be a byte-identical copy of %s", reference.get())
          .isEqualTo(Files.readString(reference.get()));
    }
    Map<String, Map<String, Column>> tables = parse(TestServices.resource(PLURAL));
    assertThat(tables.keySet())
        .containsExactlyInAnyOrderElementsOf(SchemaMapping.logicalCatalog().keySet());
    SchemaMapping.logicalCatalog()
        .forEach(
            (table, columns) ->
                assertThat(tables.get(table).keySet())
                    .as(table)
                    .containsExactlyElementsOf(columns));
  }

  @Test
  void defaultFixtureHasTheSameColumnsUnderBetterAuthNames() {
    Map<String, Map<String, Column>> plural = parse(TestServices.resource(PLURAL));
    Map<String, Map<String, Column>> camel = parse(TestServices.resource(DEFAULT));
    SchemaMapping m = SchemaMapping.of(SchemaNaming.BETTER_AUTH_DEFAULT, Map.of());

    assertThat(camel).hasSameSizeAs(plural);
    plural.forEach(
        (table, columns) -> {
          String name = m.tableName(table).name();
          assertThat(camel).as("table %s", name).containsKey(name);
          Map<String, Column> expected = new LinkedHashMap<>();
          columns.forEach((column, shape) -> expected.put(m.columnName(table, column), shape));
          assertThat(camel.get(name)).as("columns of %s", name).containsExactlyEntriesOf(expected);
        });
  }

  @Test
  void parserReadsBothStyles() {
    String sql =
        "CREATE TABLE public.users (\n    id text NOT NULL,\n    ban_expires timestamp with time"
            + " zone\n);\ncreate table \"user\" (\n    \"id\" text not null primary key,\n"
            + "    \"banExpires\" timestamptz\n);";

    assertThat(parse(sql))
        .containsEntry(
            "users",
            Map.of("id", new Column("text", true), "ban_expires", new Column("timestamptz", false)))
        .containsEntry(
            "user",
            Map.of("id", new Column("text", true), "banExpires", new Column("timestamptz", false)));
  }

  /** Table name to column name to shape, in file order. */
  static Map<String, Map<String, Column>> parse(String sql) {
    Map<String, Map<String, Column>> tables = new LinkedHashMap<>();
    Matcher table = TABLE.matcher(sql);
    while (table.find()) {
      Map<String, Column> columns = new LinkedHashMap<>();
      for (String line : table.group(2).split("\\n")) {
        String trimmed = line.strip().replaceAll(",$", "");
        if (trimmed.isEmpty()) {
          continue;
        }
        Matcher column = COLUMN.matcher(trimmed);
        assertThat(column.matches()).as("column line '%s'", trimmed).isTrue();
        String rest = column.group(3) == null ? "" : column.group(3).toLowerCase(Locale.ROOT);
        columns.put(
            column.group(1), new Column(normalise(column.group(2)), rest.contains("not null")));
      }
      tables.put(table.group(1), columns);
    }
    return tables;
  }

  private static String normalise(String type) {
    String t = type.toLowerCase(Locale.ROOT).strip();
    return t.equals("timestamp with time zone") ? "timestamptz" : t;
  }

  private static Optional<Path> reference() {
    Path root = Path.of("").toAbsolutePath();
    // NOTE: ../shared is the layout of the main checkout; a git worktree sits one level deeper.
    for (Path candidate :
        List.of(
            root.resolve("../shared/reference/better-auth-schema.sql"),
            root.resolve("../../shared/reference/better-auth-schema.sql"))) {
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate.normalize());
      }
    }
    return Optional.empty();
  }
}
