package dev.betterauthz.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.testsupport.Gen;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RouteMatchingProperties {

  record Case(List<String> patterns, boolean prefix, String raw) {}

  static Case generate(Gen g) {
    List<String> patterns =
        g.listOf(
            1,
            6,
            gen -> {
              List<String> segs =
                  new ArrayList<>(
                      new LinkedHashSet<>(
                          gen.listOf(0, 4, x -> x.oneOf("a", "b", "ab", "api", "{p}", "{q}"))));
              String p = "/" + String.join("/", segs);
              return p.equals("/") || !gen.nextBoolean() ? p : p + "/";
            });
    String raw =
        "/"
            + String.join(
                "/",
                g.listOf(
                    0,
                    6,
                    x ->
                        x.oneOf(
                            "a", "b", "ab", "api", "abc", "A", "%61", "..", ".", "", "x%20y",
                            "%2F")));
    return new Case(patterns, g.nextBoolean(), raw);
  }

  @Test
  void neverMatchesARouteWhoseLiteralSegmentsDiffer() {
    AtomicInteger matched = new AtomicInteger();
    Gen.check(
        21L,
        4000,
        RouteMatchingProperties::generate,
        c -> {
          Optional<String> normalized = RequestPaths.normalize(c.raw());
          List<CompiledRouteTable.Entry> entries = new ArrayList<>();
          for (int i = 0; i < c.patterns().size(); i++) {
            String text = c.patterns().get(i);
            PathPattern pattern;
            try {
              pattern = c.prefix() ? PathPattern.prefix(text) : PathPattern.exact(text);
            } catch (IllegalArgumentException e) {
              continue;
            }
            entries.add(CompiledRouteTableTest.entry("r" + i, pattern));
          }
          CompiledRouteTable table = new CompiledRouteTable(entries);
          normalized
              .flatMap(path -> table.match("GET", path).map(match -> List.of(path, match)))
              .ifPresent(
                  found -> {
                    matched.incrementAndGet();
                    String path = (String) found.get(0);
                    RouteMatch match = (RouteMatch) found.get(1);
                    String pattern = table.patternOf(match.route().name()).orElseThrow().text();
                    assertLiteralsAgree(pattern, path);
                    assertThat(entriesBefore(table, match))
                        .noneMatch(e -> e.pattern().matches(path));
                  });
        });
    assertThat(matched.get()).isGreaterThan(200);
  }

  private static void assertLiteralsAgree(String pattern, String path) {
    String[] want = pattern.substring(1).split("/", -1);
    String[] got = path.substring(1).split("/", -1);
    for (int i = 0; i < want.length; i++) {
      if (want[i].isEmpty() && i == want.length - 1) {
        break;
      }
      assertThat(got.length).isGreaterThan(i);
      if (!want[i].startsWith("{")) {
        assertThat(got[i]).as("segment %d of %s against %s", i, path, pattern).isEqualTo(want[i]);
      } else {
        assertThat(got[i]).isNotEmpty();
      }
    }
  }

  private static List<CompiledRouteTable.Entry> entriesBefore(
      CompiledRouteTable table, RouteMatch match) {
    List<CompiledRouteTable.Entry> before = new ArrayList<>();
    for (CompiledRouteTable.Entry entry : table.entries()) {
      if (entry.route().equals(match.route())) {
        break;
      }
      before.add(entry);
    }
    return before;
  }
}
