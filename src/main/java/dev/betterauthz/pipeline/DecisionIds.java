package dev.betterauthz.pipeline;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Decision ids: 20 lower-case hex characters, random (not secret; they only correlate a deny body,
 * a header, a log line and Envoy's access log).
 */
public final class DecisionIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private DecisionIds() {}

  public static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = random.nextLong();
    int low = random.nextInt();
    char[] out = new char[20];
    for (int i = 0; i < 16; i++) {
      out[i] = HEX[(int) (high >>> (60 - 4 * i)) & 0xf];
    }
    for (int i = 0; i < 4; i++) {
      out[16 + i] = HEX[(low >>> (12 - 4 * i)) & 0xf];
    }
    return new String(out);
  }
}
