package dev.betterauthz.jmh;

import dev.betterauthz.config.AppConfig.CacheConfig;
import dev.betterauthz.tenancy.Access;
import dev.betterauthz.tenancy.AccessKey;
import dev.betterauthz.tenancy.LocalAccessCache;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Heap per entry of the in-process cache ({@link LocalAccessCache}): fills it with {@code users x
 * orgs} answers (Better Auth-like 32-character ids; every key, id and role list a distinct object,
 * as when each is decoded from a request and a PostgreSQL row), then reads the used heap after GC.
 * With {@code shared} as third argument, role lists and organization ids are shared objects instead
 * (what interning them would give). Run with {@code scripts/jmh.sh footprint [users] [orgs]
 * [shared]}; prints one line.
 */
public final class CacheFootprint {
  private static final char[] ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private CacheFootprint() {}

  public static void main(String[] args) {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int orgs = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    boolean shared = args.length > 2 && args[2].equals("shared");
    long entries = (long) users * orgs;
    SecureRandom random = new SecureRandom();
    List<String> orgIds = new ArrayList<>();
    for (int o = 0; o < orgs; o++) {
      orgIds.add(id(random));
    }
    long before = usedAfterGc();
    LocalAccessCache cache =
        new LocalAccessCache(
            new CacheConfig(Duration.ofHours(1), entries, Duration.ofSeconds(5), true));
    Instant now = Instant.now();
    for (int u = 0; u < users; u++) {
      String user = id(random);
      for (String org : orgIds) {
        Access access =
            shared
                ? new Access(true, List.of("user"), false, List.of("viewer"), Access.Tier.POSTGRES)
                : new Access(
                    true,
                    new ArrayList<>(List.of(new String("user"))),
                    false,
                    new ArrayList<>(List.of(new String("viewer"))),
                    Access.Tier.POSTGRES);
        cache.put(
            new AccessKey(new String(user), Optional.of(shared ? org : new String(org))),
            access,
            now,
            Duration.ofHours(1));
      }
    }
    long after = usedAfterGc();
    long held = cache.size();
    double perEntry = (after - before) / (double) held;
    System.out.printf(
        "cache entries: %,d (%,d users x %,d orgs, %s); heap held: %,.1f MB; per entry: %.0f"
            + " bytes; max heap %,d MB%n",
        held,
        users,
        orgs,
        shared ? "shared roles and org ids" : "distinct objects",
        (after - before) / 1e6,
        perEntry,
        Runtime.getRuntime().maxMemory() >> 20);
    if (cache.get(AccessKey.of("nobody", orgIds.get(0)), now, Optional.empty()).isPresent()) {
      throw new IllegalStateException("unexpected hit");
    }
  }

  private static String id(SecureRandom random) {
    char[] chars = new char[32];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return new String(chars);
  }

  private static long usedAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
