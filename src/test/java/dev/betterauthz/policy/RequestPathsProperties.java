package dev.betterauthz.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.testsupport.Gen;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Properties of path normalization over generated hostile and ordinary paths (ADR-0002). */
class RequestPathsProperties {
  private static final String[] COMMON = {
    "/", "/", "/", ".", "..", "%2e", "%2E", "%41", "%7e", "%3b", "%C3%A9", "a"
  };
  private static final String[] PLAIN = {"a", "b", "A", "~", "0", "-", "_", ":", "@", "%25"};
  private static final String[] HOSTILE = {
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
    "%252e"
  };

  static String pathLike(Gen g) {
    int n = g.nextInt(15);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int pick = g.nextInt(13);
      out.append(pick < 6 ? g.oneOf(COMMON) : pick < 12 ? g.oneOf(PLAIN) : g.oneOf(HOSTILE));
    }
    return out.toString();
  }

  @Test
  void anyResultIsCanonical() {
    AtomicInteger accepted = new AtomicInteger();
    Gen.check(
        1L,
        3000,
        RequestPathsProperties::pathLike,
        raw -> {
          Optional<String> normalized = RequestPaths.normalize(raw);
          normalized.ifPresent(
              path -> {
                accepted.incrementAndGet();
                assertThat(path).startsWith("/");
                assertThat(path).doesNotContain("//", "\\", ";", "?", "#");
                assertThat(path.toUpperCase(Locale.ROOT))
                    .doesNotContain("%2F", "%5C", "%00", "%2E");
                assertThat(("/" + path + "/").replace('/', '|')).doesNotContain("|.|", "|..|");
                assertThat(path.chars().allMatch(c -> c > 0x20 && c < 0x7f)).isTrue();
                assertThat(RequestPaths.normalize(path)).contains(path);
              });
        });
    // Coverage: the generator must produce accepted paths too, or the property tests nothing.
    assertThat(accepted.get()).isGreaterThan(150);
  }

  @Test
  void neverThrowsOnArbitraryText() {
    Gen.check(
        2L,
        3000,
        g -> g.anyString(40),
        raw -> {
          Optional<String> normalized = RequestPaths.normalize(raw);
          normalized.ifPresent(path -> assertThat(RequestPaths.normalize(path)).contains(path));
        });
  }

  @Test
  void queryAndFragmentNeverChangeTheDecision() {
    Gen.check(
        3L,
        1000,
        g -> new String[] {pathLike(g), pathLike(g)},
        pair -> {
          String path = pair[0].replace("?", "").replace("#", "");
          assertThat(RequestPaths.normalize(path + "?" + pair[1]))
              .isEqualTo(RequestPaths.normalize(path));
        });
  }
}
