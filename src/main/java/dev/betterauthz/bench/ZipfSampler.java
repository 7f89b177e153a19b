package dev.betterauthz.bench;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Draws ranks 0..n-1 with Zipf-distributed frequency (rank k with weight 1/(k+1)^s): a few users
 * make most requests, as in real traffic. Immutable and thread-safe.
 */
public final class ZipfSampler {
  private final double[] cumulative;

  public ZipfSampler(int n, double exponent) {
    if (n <= 0) {
      throw new IllegalArgumentException("n must be positive");
    }
    cumulative = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1.0 / Math.pow(k + 1, exponent);
      cumulative[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      cumulative[k] /= sum;
    }
  }

  /** A rank for the uniform variate {@code u} in [0, 1). */
  public int rankAt(double u) {
    int index = Arrays.binarySearch(cumulative, u);
    int rank = index >= 0 ? index : -index - 1;
    return Math.min(rank, cumulative.length - 1);
  }

  /** A random rank. */
  public int next() {
    return rankAt(ThreadLocalRandom.current().nextDouble());
  }
}
