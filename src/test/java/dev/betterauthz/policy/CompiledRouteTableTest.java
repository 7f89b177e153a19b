package dev.betterauthz.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.betterauthz.tenancy.Consistency;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompiledRouteTableTest {

  @Test
  void exactPathMatchesOnlyThatPath() {
    RouteTable table = table(entry("x", PathPattern.exact("/api/x")));

    assertThat(table.match("GET", "/api/x")).isPresent();
    assertThat(table.match("GET", "/api/x/")).isEmpty();
    assertThat(table.match("GET", "/api/x/y")).isEmpty();
    assertThat(table.match("GET", "/api/xy")).isEmpty();
    assertThat(table.match("GET", "/api")).isEmpty();
    assertThat(table.match("GET", "/API/x")).isEmpty();
  }

  @Test
  void exactPathWithTrailingSlashNeedsIt() {
    RouteTable table = table(entry("x", PathPattern.exact("/api/x/")));

    assertThat(table.match("GET", "/api/x/")).isPresent();
    assertThat(table.match("GET", "/api/x")).isEmpty();
    assertThat(table.match("GET", "/api/x/y")).isEmpty();
  }

  @Test
  void prefixMatchesOnASegmentBoundary() {
    RouteTable table = table(entry("me", PathPattern.prefix("/api/me")));

    assertThat(table.match("GET", "/api/me")).isPresent();
    assertThat(table.match("GET", "/api/me/")).isPresent();
    assertThat(table.match("GET", "/api/me/x/y")).isPresent();
    assertThat(table.match("GET", "/api/meow")).isEmpty();
    assertThat(table.match("GET", "/api/m")).isEmpty();
    assertThat(table.match("GET", "/api")).isEmpty();
  }

  @Test
  void prefixWithTrailingSlashNeedsTheSlash() {
    RouteTable table = table(entry("o", PathPattern.prefix("/o/{org}/")));

    assertThat(table.match("GET", "/o/acme/").orElseThrow().pathParams())
        .isEqualTo(Map.of("org", "acme"));
    assertThat(table.match("GET", "/o/acme/leave/1")).isPresent();
    assertThat(table.match("GET", "/o/acme")).isEmpty();
    assertThat(table.match("GET", "/o/")).isEmpty();
  }

  @Test
  void rootPatterns() {
    assertThat(table(entry("r", PathPattern.exact("/"))).match("GET", "/")).isPresent();
    assertThat(table(entry("r", PathPattern.exact("/"))).match("GET", "/a")).isEmpty();
    assertThat(table(entry("r", PathPattern.prefix("/"))).match("GET", "/any/thing")).isPresent();
  }

  @Test
  void paramsTakeExactlyOneNonEmptySegment() {
    RouteTable table = table(entry("l", PathPattern.exact("/orgs/{org}/leave/{id}")));

    assertThat(table.match("GET", "/orgs/acme/leave/7").orElseThrow().pathParams())
        .isEqualTo(Map.of("org", "acme", "id", "7"));
    assertThat(table.match("GET", "/orgs//leave/7")).isEmpty();
    assertThat(table.match("GET", "/orgs/a/b/leave/7")).isEmpty();
    assertThat(table.match("GET", "/orgs/acme/leave/")).isEmpty();
  }

  @Test
  void paramsArePercentDecoded() {
    RouteTable table = table(entry("o", PathPattern.exact("/orgs/{org}")));

    assertThat(table.match("GET", "/orgs/caf%C3%A9").orElseThrow().pathParams())
        .containsEntry("org", "café");
    assertThat(table.match("GET", "/orgs/a%20b").orElseThrow().pathParams())
        .containsEntry("org", "a b");
  }

  @Test
  void paramsThatDecodeToSeparatorsOrControlsDoNotMatch() {
    RouteTable table =
        table(
            entry("o", PathPattern.exact("/orgs/{org}")),
            entry("fallback", PathPattern.prefix("/orgs")));

    for (String bad : List.of("a%2Fb", "a%5Cb", "a%00", "a%0A", "%C0%AF", "a%zz", "a%C2%85")) {
      assertThat(table.match("GET", "/orgs/" + bad).orElseThrow().route().name())
          .as(bad)
          .isEqualTo("fallback");
    }
  }

  @Test
  void methodsFilterAndEmptyMeansAny() {
    RouteTable table =
        table(
            entry("post", PathPattern.exact("/a"), Set.of("POST")),
            entry("any", PathPattern.exact("/a"), Set.of()));

    assertThat(table.match("POST", "/a").orElseThrow().route().name()).isEqualTo("post");
    assertThat(table.match("GET", "/a").orElseThrow().route().name()).isEqualTo("any");
    assertThat(table.match("BREW", "/a").orElseThrow().route().name()).isEqualTo("any");
  }

  @Test
  void firstMatchInFileOrderWinsAcrossIndexBuckets() {
    RouteTable table =
        table(
            entry("param-first", PathPattern.prefix("/{anything}/special")),
            entry("literal", PathPattern.prefix("/api")),
            entry("catch-all", PathPattern.prefix("/")));

    assertThat(table.match("GET", "/api/special").orElseThrow().route().name())
        .isEqualTo("param-first");
    assertThat(table.match("GET", "/api/other").orElseThrow().route().name()).isEqualTo("literal");
    assertThat(table.match("GET", "/zzz").orElseThrow().route().name()).isEqualTo("catch-all");
    assertThat(table.match("GET", "/").orElseThrow().route().name()).isEqualTo("catch-all");
  }

  @Test
  void laterLiteralRouteLosesToEarlierParamRoute() {
    RouteTable table =
        table(
            entry("generic", PathPattern.exact("/{kind}/list")),
            entry("users", PathPattern.exact("/users/list")));

    assertThat(table.match("GET", "/users/list").orElseThrow().route().name()).isEqualTo("generic");
  }

  @Test
  void findsRoutesByName() {
    CompiledRouteTable table = table(entry("a", PathPattern.exact("/a")));

    assertThat(table.byName("a")).isPresent();
    assertThat(table.byName("b")).isEmpty();
    assertThat(table.patternOf("a").orElseThrow().text()).isEqualTo("/a");
    assertThat(table.routes()).extracting(Route::name).containsExactly("a");
  }

  @Test
  void rejectsDuplicateNamesAndInvalidPatterns() {
    assertThatThrownBy(
            () -> table(entry("a", PathPattern.exact("/a")), entry("a", PathPattern.exact("/b"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathPattern.exact("a")).hasMessageContaining("must start with '/'");
    assertThatThrownBy(() -> PathPattern.exact("/a/{x}/{x}")).hasMessageContaining("twice");
    assertThatThrownBy(() -> PathPattern.prefix("/a//b")).hasMessageContaining("empty segment");
    assertThatThrownBy(() -> PathPattern.exact("/a;b")).hasMessageContaining("normalized");
  }

  @Test
  void fiveHundredRoutesMissAndHitCorrectly() {
    // Speed is measured by the JMH benchmark (RouteMatchBenchmark), not here.
    List<CompiledRouteTable.Entry> entries = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      String pattern = "/svc" + i + "/orgs/{org}/items/{id}";
      entries.add(
          entry("r" + i, i % 2 == 0 ? PathPattern.exact(pattern) : PathPattern.prefix(pattern)));
    }
    entries.add(entry("params", PathPattern.exact("/{a}/{b}/{c}/{d}/{e}/{f}")));
    RouteTable table = new CompiledRouteTable(entries);
    for (String miss :
        List.of("/svc250/orgs/acme/other/1", "/nothing/here", "/svc499x/orgs/a/items/b")) {
      assertThat(table.match("GET", miss)).isEmpty();
    }
    assertThat(table.match("GET", "/svc250/orgs/acme/items/1"))
        .map(m -> m.route().name())
        .contains("r250");
    assertThat(table.match("GET", "/svc251/orgs/acme/items/1/more"))
        .map(m -> m.route().name())
        .contains("r251");
    assertThat(table.match("GET", "/1/2/3/4/5/6")).map(m -> m.route().name()).contains("params");
  }

  @Test
  void aNamedRouteMatchesOnItsOwnIgnoringEarlierRoutes() {
    RouteTable table =
        table(
            entry("catch-all", PathPattern.prefix("/")),
            entry("leave", PathPattern.exact("/api/orgs/{org}/leave")));
    assertThat(table.match("GET", "/api/orgs/acme/leave"))
        .map(m -> m.route().name())
        .contains("catch-all");
    assertThat(table.matchRoute("leave", "GET", "/api/orgs/acme/leave"))
        .hasValueSatisfying(m -> assertThat(m.pathParams()).containsEntry("org", "acme"));
    assertThat(table.matchRoute("leave", "GET", "/api/other")).isEmpty();
    assertThat(table.matchRoute("missing", "GET", "/api/orgs/acme/leave")).isEmpty();
  }

  static CompiledRouteTable table(CompiledRouteTable.Entry... entries) {
    return new CompiledRouteTable(List.of(entries));
  }

  static CompiledRouteTable.Entry entry(String name, PathPattern pattern) {
    return entry(name, pattern, Set.of());
  }

  static CompiledRouteTable.Entry entry(String name, PathPattern pattern, Set<String> methods) {
    return new CompiledRouteTable.Entry(
        pattern,
        new Route(
            name,
            methods,
            Route.Access.AUTHENTICATED,
            Optional.empty(),
            List.of(),
            Consistency.CACHED,
            false));
  }
}
