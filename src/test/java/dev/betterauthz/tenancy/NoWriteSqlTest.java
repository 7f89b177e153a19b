package dev.betterauthz.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * better-authz never writes to Better Auth's tables: no string literal under {@code src/main/java}
 * may hold a write statement. Literals are checked one by one and, joined, statement by statement
 * (so {@code "UPDATE " + table + " SET ..."} is caught too).
 *
 * <p>The one exception is {@code doctor/FixSql.java}: doctor prints SQL for the table owners to run
 * (CREATE INDEX, a read-only role). Rather than hide that SQL from the scan, the allow-list names
 * the file, and this test also proves the printed SQL is never executed: in package {@code doctor}
 * every {@code query(...)}/{@code preparedQuery(...)} argument is a {@code DoctorQueries} constant,
 * and {@code FixSql} has no database types in scope. (DoctorIT additionally runs each printed
 * CREATE INDEX through better-authz's own pool and sees it refused as a read-only transaction.)
 */
class NoWriteSqlTest {
  private static final Path MAIN = Path.of("src/main/java");
  private static final String ALLOWED = "dev/betterauthz/doctor/FixSql.java";

  /**
   * The load generator plays Better Auth in its own throwaway database ({@code bench_<run>}): it
   * must write, and the server never calls it (checked below).
   */
  private static final String BENCH = "dev/betterauthz/bench/";

  private static final List<Pattern> WRITES =
      List.of(
          Pattern.compile("(?i)\\bINSERT\\s+INTO\\b"),
          Pattern.compile("(?i)(^|[\\s(;])UPDATE\\s+\\S+\\s+SET\\s"),
          Pattern.compile("(?i)\\bDELETE\\s+FROM\\b"),
          Pattern.compile("(?i)\\bMERGE\\s+INTO\\b"),
          Pattern.compile("(?i)\\bCOPY\\s+\\S+\\s+FROM\\b"),
          Pattern.compile("(?i)(^|;)\\s*TRUNCATE\\s+(TABLE\\s+)?(ONLY\\s+)?[\"\\w]"),
          Pattern.compile(
              "(?i)\\b(CREATE|ALTER|DROP)\\s+(UNIQUE\\s+|OR\\s+REPLACE\\s+|TEMP(ORARY)?\\s+)?"
                  + "(TABLE|INDEX|ROLE|USER|SCHEMA|DATABASE|VIEW|FUNCTION|PROCEDURE|TRIGGER|"
                  + "SEQUENCE|EXTENSION|TYPE|POLICY|MATERIALIZED|OWNED)\\b"),
          Pattern.compile("(?i)\\bGRANT\\s+[\\w\\s,]+?\\s+(ON|TO)\\s"),
          Pattern.compile("(?i)\\bREVOKE\\s+[\\w\\s,]+?\\s+(ON|FROM)\\s"));

  @Test
  void mainSourcesHoldNoWriteStatements() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path file : javaFiles()) {
      String relative = MAIN.relativize(file).toString().replace('\\', '/');
      if (!relative.equals(ALLOWED) && !relative.startsWith(BENCH)) {
        findWrites(Files.readString(file, StandardCharsets.UTF_8))
            .forEach(w -> found.add(relative + ": " + w));
      }
    }
    assertThat(found).as("write SQL in src/main/java").isEmpty();
  }

  @Test
  void theServerNeverCallsTheBenchDataLoader() throws IOException {
    List<String> offending = new ArrayList<>();
    for (Path file : javaFiles()) {
      String relative = MAIN.relativize(file).toString().replace('\\', '/');
      if (!relative.startsWith(BENCH)
          && !relative.equals("dev/betterauthz/Main.java")
          && Files.readString(file, StandardCharsets.UTF_8).contains("dev.betterauthz.bench")) {
        offending.add(relative);
      }
    }
    assertThat(offending).as("server code depending on the bench tool").isEmpty();
  }

  @Test
  void doctorExecutesOnlyItsCatalogQueries() throws IOException {
    Pattern call = Pattern.compile("\\.(query|preparedQuery)\\(\\s*([^)]*)");
    List<String> offending = new ArrayList<>();
    for (Path file : javaFiles()) {
      String relative = MAIN.relativize(file).toString().replace('\\', '/');
      String source = Files.readString(file, StandardCharsets.UTF_8);
      if (relative.startsWith("dev/betterauthz/doctor/")) {
        Matcher m = call.matcher(source);
        while (m.find()) {
          if (!m.group(2).startsWith("DoctorQueries.")) {
            offending.add(relative + ": " + m.group());
          }
        }
      } else if (source.contains("FixSql")) {
        offending.add(relative + " uses FixSql outside doctor");
      }
    }
    assertThat(offending).isEmpty();
    String fixSql = Files.readString(MAIN.resolve(ALLOWED), StandardCharsets.UTF_8);
    assertThat(fixSql).doesNotContain("io.vertx", "SqlClient", "Pool", "query(");
    assertThat(findWrites(fixSql)).as("the allow-listed file really holds advice SQL").isNotEmpty();
  }

  @Test
  void scannerCatchesWritesInEveryLiteralForm() {
    assertThat(findWrites("class A { String s = \"INSERT INTO users VALUES (1)\"; }")).hasSize(1);
    assertThat(findWrites("class A { String s = \"\"\"\n  delete from members\n  \"\"\"; }"))
        .hasSize(1);
    assertThat(findWrites("class A { String s = \"UPDATE \" + t + \" SET role = 1\"; }"))
        .hasSize(1);
    assertThat(findWrites("class A { String s = \"GRANT SELECT ON users TO x\"; }")).hasSize(1);
    assertThat(findWrites("class A { String s = \"create index i on t (c)\"; }")).hasSize(1);
    assertThat(findWrites("class A { String s = \"TRUNCATE members\"; }")).hasSize(1);
  }

  @Test
  void scannerIgnoresCommentsAndPermissionNames() {
    assertThat(
            findWrites(
                "// INSERT INTO users\n/* DELETE FROM members */\nclass A {\n"
                    + " String[] p = {\"member:update\", \"set\", \"organization:delete\"};\n"
                    + " char q = '\"'; String s = \"SELECT 1 FROM users\"; }"))
        .isEmpty();
  }

  private static List<Path> javaFiles() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      return files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  /** Write statements in the string literals of one Java source. */
  static List<String> findWrites(String source) {
    List<String> found = new ArrayList<>();
    for (List<String> statement : literalsByStatement(source)) {
      for (String literal : statement) {
        matches(literal).forEach(found::add);
      }
      if (statement.size() > 1) {
        // NOTE: joined twice: adjacent literals ("INSERT " + "INTO") and literals around code
        // ("UPDATE " + table + " SET"), where the code becomes a placeholder word.
        for (String gap : List.of(" ", " _ ")) {
          matches(String.join(gap, statement)).filter(m -> !found.contains(m)).forEach(found::add);
        }
      }
    }
    return found;
  }

  private static Stream<String> matches(String text) {
    return WRITES.stream()
        .map(p -> p.matcher(text))
        .filter(Matcher::find)
        .map(m -> "\"" + m.group().strip() + "\" in \"" + abbreviate(text) + "\"");
  }

  private static String abbreviate(String text) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= 80 ? flat : flat.substring(0, 77) + "...";
  }

  /** String literals (text blocks included) grouped by the statement ({@code ;}) they are in. */
  static List<List<String>> literalsByStatement(String src) {
    List<List<String>> statements = new ArrayList<>();
    List<String> current = new ArrayList<>();
    int i = 0;
    while (i < src.length()) {
      char c = src.charAt(i);
      if (src.startsWith("//", i)) {
        i = indexOrEnd(src, "\n", i);
      } else if (src.startsWith("/*", i)) {
        i = indexOrEnd(src, "*/", i + 2) + 2;
      } else if (src.startsWith("\"\"\"", i)) {
        int end = indexOrEnd(src, "\"\"\"", i + 3);
        current.add(src.substring(i + 3, Math.min(end, src.length())));
        i = end + 3;
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        StringBuilder literal = new StringBuilder();
        while (j < src.length() && src.charAt(j) != c) {
          if (src.charAt(j) == '\\' && j + 1 < src.length()) {
            j++;
          }
          literal.append(src.charAt(j));
          j++;
        }
        if (c == '"') {
          current.add(literal.toString());
        }
        i = j + 1;
      } else {
        if (c == ';' || c == '{' || c == '}') {
          if (!current.isEmpty()) {
            statements.add(current);
            current = new ArrayList<>();
          }
        }
        i++;
      }
    }
    if (!current.isEmpty()) {
      statements.add(current);
    }
    return statements;
  }

  private static int indexOrEnd(String src, String token, int from) {
    int at = src.indexOf(token, from);
    return at < 0 ? src.length() : at;
  }
}
