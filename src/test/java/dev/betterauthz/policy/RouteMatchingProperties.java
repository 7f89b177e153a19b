package dev.betterauthz.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

class RouteMatchingProperties {

  @Property(tries = 2000)
  void neverMatchesARouteWhoseLiteralSegmentsDiffer(
      @ForAll("patterns") List<String> patterns,
      @ForAll boolean prefix,
      @ForAll("paths") String raw) {
    Optional<String> normalized = RequestPaths.normalize(raw);
    List<CompiledRouteTable.Entry> entries = new ArrayList<>();
    for (int i = 0; i < patterns.size(); i++) {
      PathPattern pattern =
          prefix ? PathPattern.prefix(patterns.get(i)) : PathPattern.exact(patterns.get(i));
      entries.add(CompiledRouteTableTest.entry("r" + i, pattern));
    }
    CompiledRouteTable table = new CompiledRouteTable(entries);
    Statistics.collect(normalized.flatMap(path -> table.match("GET", path)).isPresent());
    Statistics.coverage(coverage -> coverage.check(true).percentage(p -> p > 5));

    normalized
        .flatMap(path -> table.match("GET", path).map(match -> List.of(path, match)))
        .ifPresent(
            found -> {
              String path = (String) found.get(0);
              RouteMatch match = (RouteMatch) found.get(1);
              String pattern = table.patternOf(match.route().name()).orElseThrow().text();
              assertLiteralsAgree(pattern, path);
              assertThat(entriesBefore(table, match)).noneMatch(e -> e.pattern().matches(path));
            });
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

  @Provide
  Arbitrary<List<String>> patterns() {
    Arbitrary<String> segment = Arbitraries.of("a", "b", "ab", "api", "{p}", "{q}");
    Arbitrary<String> pattern =
        segment
            .list()
            .ofMinSize(0)
            .ofMaxSize(4)
            .uniqueElements()
            .map(list -> "/" + String.join("/", list))
            .flatMap(p -> Arbitraries.of(p, p.equals("/") ? p : p + "/"));
    return pattern.list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> segment =
        Arbitraries.of("a", "b", "ab", "api", "abc", "A", "%61", "..", ".", "", "x%20y", "%2F");
    return segment.list().ofMaxSize(6).map(list -> "/" + String.join("/", list));
  }
}
