package dev.betterauthz.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

class RequestPathsProperties {

  @Property(tries = 1500)
  void anyResultIsCanonical(@ForAll("pathLike") String raw) {
    Optional<String> normalized = RequestPaths.normalize(raw);
    Statistics.collect(normalized.isPresent());
    Statistics.coverage(coverage -> coverage.check(true).percentage(p -> p > 5));

    normalized.ifPresent(
        path -> {
          assertThat(path).startsWith("/");
          assertThat(path).doesNotContain("//", "\\", ";", "?", "#");
          assertThat(path.toUpperCase(Locale.ROOT)).doesNotContain("%2F", "%5C", "%00", "%2E");
          assertThat(("/" + path + "/").replace('/', '|')).doesNotContain("|.|", "|..|");
          assertThat(path.chars().allMatch(c -> c > 0x20 && c < 0x7f)).isTrue();
          assertThat(RequestPaths.normalize(path)).contains(path);
        });
  }

  @Property(tries = 1000)
  void neverThrowsOnArbitraryText(@ForAll String raw) {
    Optional<String> normalized = RequestPaths.normalize(raw);

    normalized.ifPresent(path -> assertThat(RequestPaths.normalize(path)).contains(path));
  }

  @Property(tries = 500)
  void queryAndFragmentNeverChangeTheDecision(
      @ForAll("pathLike") String raw, @ForAll("pathLike") String tail) {
    String path = raw.replace("?", "").replace("#", "");

    assertThat(RequestPaths.normalize(path + "?" + tail)).isEqualTo(RequestPaths.normalize(path));
  }

  @Provide
  Arbitrary<String> pathLike() {
    Arbitrary<String> common =
        Arbitraries.of("/", "/", "/", ".", "..", "%2e", "%2E", "%41", "%7e", "%3b", "%C3%A9", "a");
    Arbitrary<String> plain = Arbitraries.of("a", "b", "A", "~", "0", "-", "_", ":", "@", "%25");
    Arbitrary<String> hostile =
        Arbitraries.of(
            "%2f",
            "%2F",
            "%5c",
            "%c0%ae",
            "%EF%BC%8E",
            "%00",
            "%",
            ";",
            "?",
            "#",
            "\\",
            "\uFF0E",
            "é",
            " ",
            "%zz",
            "{",
            "%e2%80%a4",
            "%252e");
    Arbitrary<String> pieces =
        Arbitraries.frequencyOf(Tuple.of(6, common), Tuple.of(6, plain), Tuple.of(1, hostile));
    return pieces.list().ofMaxSize(14).map(list -> String.join("", list));
  }
}
