package dev.betterauthz.testsupport;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock tests move by hand, usable both as the wall clock and as a Caffeine {@link Ticker} so
 * cache expiry follows the same time. Thread-safe.
 */
public final class MutableClock extends Clock implements Ticker {
  private volatile Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  public void advance(Duration by) {
    now = now.plus(by);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public long read() {
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
