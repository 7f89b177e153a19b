package dev.betterauthz.tenancy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Redis evictions that failed while Redis was unreachable, replayed when it answers again, so a
 * stale {@code perm:} value cannot outlive the outage. Bounded: past {@code limit} entries it
 * remembers only "evict everything". Thread-safe.
 */
final class MissedEvictions {
  private final Set<String> keys = ConcurrentHashMap.newKeySet();
  private final Set<String> patterns = ConcurrentHashMap.newKeySet();
  private final int limit;
  private volatile boolean everything;

  /** What to replay. */
  record Replay(boolean everything, List<String> keys, List<String> patterns) {
    boolean isEmpty() {
      return !everything && keys.isEmpty() && patterns.isEmpty();
    }
  }

  MissedEvictions(int limit) {
    this.limit = limit;
  }

  void key(String redisKey) {
    remember(keys, redisKey);
  }

  void pattern(String matchPattern) {
    remember(patterns, matchPattern);
  }

  void everything() {
    everything = true;
  }

  private void remember(Set<String> into, String value) {
    if (keys.size() + patterns.size() >= limit) {
      everything = true;
    } else {
      into.add(value);
    }
  }

  /** Takes everything remembered so far. */
  Replay drain() {
    boolean all = everything;
    everything = false;
    List<String> k = List.copyOf(keys);
    List<String> p = List.copyOf(patterns);
    keys.removeAll(k);
    patterns.removeAll(p);
    return new Replay(all, k, p);
  }
}
