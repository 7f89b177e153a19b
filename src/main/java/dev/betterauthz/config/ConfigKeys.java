package dev.betterauthz.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The known setting names, and did-you-mean help for misspelt ones. */
final class ConfigKeys {
  static final Set<String> KNOWN =
      Set.of(
          "AUTHZ_CONFIG",
          "AUTHZ_BIND_ADDRESS",
          "AUTHZ_GRPC_PORT",
          "AUTHZ_HTTP_PORT",
          "AUTHZ_HTTP_CHECK_PREFIX",
          "AUTHZ_SHUTDOWN_GRACE",
          "AUTHZ_STARTUP_CHECKS",
          "AUTHZ_POLICY_FILE",
          "AUTHZ_POLICY_RELOAD_INTERVAL",
          "AUTHZ_JWKS_URL",
          "AUTHZ_JWT_ISSUER",
          "AUTHZ_JWT_AUDIENCE",
          "AUTHZ_JWT_ALGORITHMS",
          "AUTHZ_JWT_CLOCK_SKEW",
          "AUTHZ_JWKS_REFRESH",
          "AUTHZ_JWKS_MIN_REFETCH",
          "AUTHZ_JWKS_MAX_STALE",
          "AUTHZ_JWKS_TIMEOUT",
          "AUTHZ_JWT_MAX_BYTES",
          "AUTHZ_TOKEN_CACHE_SIZE",
          "AUTHZ_CLAIM_ORG",
          "AUTHZ_CLAIM_ORG_ROLE",
          "AUTHZ_DATABASE_URL",
          "AUTHZ_DATABASE_POOL_SIZE",
          "AUTHZ_DATABASE_MAX_WAIT_QUEUE",
          "AUTHZ_DATABASE_TIMEOUT",
          "AUTHZ_SCHEMA",
          "AUTHZ_SCHEMA_OVERRIDES",
          "AUTHZ_DYNAMIC_ROLES",
          "AUTHZ_REDIS_URL",
          "AUTHZ_REDIS_TIMEOUT",
          "AUTHZ_PERM_CACHE_TTL",
          "AUTHZ_NEGATIVE_CACHE_TTL",
          "AUTHZ_NATS_URL",
          "AUTHZ_NATS_SUBJECT_PREFIX",
          "AUTHZ_NATS_STREAM",
          "AUTHZ_LOCAL_CACHE",
          "AUTHZ_LOCAL_CACHE_TTL",
          "AUTHZ_LOCAL_CACHE_MAX_ENTRIES",
          "AUTHZ_DEGRADED_CACHE_TTL",
          "AUTHZ_BETTER_AUTH_SECRET",
          "AUTHZ_SESSION_COOKIE_PREFIX",
          "AUTHZ_SESSION_CACHE_TTL",
          "AUTHZ_LOG_ALLOW_SAMPLE",
          "AUTHZ_LOG_FORMAT");

  /** Settings that hold secrets; never logged. */
  static final Set<String> SECRET = Set.of("AUTHZ_BETTER_AUTH_SECRET");

  private ConfigKeys() {}

  /**
   * Problems for unknown {@code AUTHZ_*} names. Names under {@code AUTHZ_TEST_} belong to the test
   * suite and are ignored.
   */
  static List<String> unknown(Collection<String> keys) {
    List<String> problems = new ArrayList<>();
    for (String key : new TreeSet<>(keys)) {
      if (KNOWN.contains(key) || key.startsWith("AUTHZ_TEST_")) {
        continue;
      }
      String hint = closest(key);
      problems.add(
          key + " is not a known setting" + (hint == null ? "" : " (did you mean " + hint + "?)"));
    }
    return problems;
  }

  private static String closest(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String known : KNOWN) {
      int d = distance(key, known);
      if (d < bestDistance) {
        bestDistance = d;
        best = known;
      }
    }
    return bestDistance <= Math.max(2, key.length() / 5) ? best : null;
  }

  /** Levenshtein distance; names are short, so the quadratic table is fine. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
