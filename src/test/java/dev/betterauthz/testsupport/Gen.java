package dev.betterauthz.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Seeded generators for property tests (ADR-0002): the same seed gives the same cases, and a
 * failing case is reported with its seed and input so it can be replayed.
 */
public final class Gen {
  private static final String[] EDGE = {
    "", ".", "..", "/", "%", "%2", "%00", "\u0000", "\n", "\r", " ", "\\", "\uFF0E", "\u202E", "é",
    "𝔸"
  };

  private final Random random;

  public Gen(long seed) {
    this.random = new Random(seed);
  }

  /** Runs {@code property} on {@code tries} cases; a failure names the seed and the case. */
  public static <T> void check(long seed, int tries, Function<Gen, T> cases, Consumer<T> property) {
    Gen gen = new Gen(seed);
    for (int i = 0; i < tries; i++) {
      T input = cases.apply(gen);
      try {
        property.accept(input);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "property failed (seed " + seed + ", case " + i + "): input " + show(input), e);
      }
    }
  }

  private static String show(Object input) {
    String s = String.valueOf(input);
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.append('"').toString();
  }

  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  public boolean nextBoolean() {
    return random.nextBoolean();
  }

  @SafeVarargs
  public final <T> T oneOf(T... choices) {
    return choices[random.nextInt(choices.length)];
  }

  /** Concatenates up to {@code maxPieces} pieces drawn from {@code pieces}. */
  public String joined(int maxPieces, String... pieces) {
    int n = random.nextInt(maxPieces + 1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(pieces[random.nextInt(pieces.length)]);
    }
    return out.toString();
  }

  /** A list of 0..maxSize elements made by {@code element}. */
  public <T> List<T> listOf(int minSize, int maxSize, Function<Gen, T> element) {
    int n = minSize + random.nextInt(maxSize - minSize + 1);
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(element.apply(this));
    }
    return out;
  }

  /** Arbitrary text: mostly printable ASCII, with controls, unicode and edge strings mixed in. */
  public String anyString(int maxLength) {
    int n = random.nextInt(maxLength + 1);
    StringBuilder out = new StringBuilder(n);
    while (out.length() < n) {
      int kind = random.nextInt(10);
      if (kind < 6) {
        out.append((char) (0x20 + random.nextInt(0x5f)));
      } else if (kind < 7) {
        out.append((char) random.nextInt(0x20));
      } else if (kind < 9) {
        out.append(EDGE[random.nextInt(EDGE.length)]);
      } else {
        out.appendCodePoint(0xa0 + random.nextInt(0x2ff00));
      }
    }
    return out.toString();
  }
}
