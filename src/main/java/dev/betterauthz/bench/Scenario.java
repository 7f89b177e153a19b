package dev.betterauthz.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The benchmark scenarios: what the server under test is started with (environment overrides on top
 * of the common settings), which route and tokens the requests carry, and which answer is expected.
 * {@link #BASELINE} runs the no-op server instead of better-authz.
 */
public enum Scenario {
  BASELINE("baseline", Path.CACHED, Tokens.VALID, Users.HOT, true, Map.of()),
  WARM("warm", Path.CACHED, Tokens.VALID, Users.HOT, true, Map.of()),
  CLAIMS("claims", Path.CLAIMS, Tokens.VALID, Users.HOT, true, Map.of()),
  REDIS("redis", Path.CACHED, Tokens.VALID, Users.HOT, true, Map.of("AUTHZ_LOCAL_CACHE", "off")),
  POSTGRES(
      "postgres",
      Path.CACHED,
      Tokens.VALID,
      Users.HOT,
      true,
      Map.of("AUTHZ_LOCAL_CACHE", "off", "AUTHZ_REDIS_URL", "off")),
  INVALID("invalid", Path.CACHED, Tokens.BAD_SIGNATURE, Users.HOT, false, Map.of()),
  UNKNOWN_KID("unknown-kid", Path.CACHED, Tokens.UNKNOWN_KID, Users.HOT, false, Map.of()),
  MIXED("mixed", Path.CACHED, Tokens.VALID, Users.ZIPF_ALL, true, Map.of());

  /** Which route of the bench policy the requests hit. */
  public enum Path {
    /** {@code GET /api/orgs/{org}/leave}: {@code leave:read}, {@code consistency: claims}. */
    CLAIMS,
    /** {@code GET /api/orgs/{org}/projects}: {@code project:read}, default consistency. */
    CACHED
  }

  /** What the bearer tokens look like. */
  public enum Tokens {
    VALID,
    BAD_SIGNATURE,
    UNKNOWN_KID
  }

  /** Who sends the requests. */
  public enum Users {
    /** A fixed hot set, uniformly: after warm-up every lookup can be a cache hit. */
    HOT,
    /** Every user of the data set, Zipf-skewed. */
    ZIPF_ALL
  }

  private final String id;
  private final Path path;
  private final Tokens tokens;
  private final Users users;
  private final boolean expectAllow;
  private final Map<String, String> environment;

  Scenario(
      String id,
      Path path,
      Tokens tokens,
      Users users,
      boolean expectAllow,
      Map<String, String> environment) {
    this.id = id;
    this.path = path;
    this.tokens = tokens;
    this.users = users;
    this.expectAllow = expectAllow;
    this.environment = environment;
  }

  /** The name used on the command line and in the report. */
  public String id() {
    return id;
  }

  public Path path() {
    return path;
  }

  public Tokens tokens() {
    return tokens;
  }

  public Users users() {
    return users;
  }

  /** True when every request should be allowed; false when every request should be denied. */
  public boolean expectAllow() {
    return expectAllow;
  }

  /** Settings of the server under test that differ from the common ones. */
  public Map<String, String> environment() {
    return environment;
  }

  /**
   * Parses scenario names ({@code all} = every scenario); {@link #BASELINE} is always first, added
   * when missing, because every result is a ratio to it.
   *
   * @throws IllegalArgumentException naming the unknown scenario and the known ones
   */
  public static List<Scenario> parse(List<String> names) {
    List<Scenario> chosen = new ArrayList<>();
    chosen.add(BASELINE);
    for (String name : names) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      if (n.equals("all")) {
        Arrays.stream(values()).filter(s -> !chosen.contains(s)).forEach(chosen::add);
        continue;
      }
      Scenario scenario =
          Arrays.stream(values())
              .filter(s -> s.id.equals(n))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown scenario '" + name + "'; known: all, " + known()));
      if (!chosen.contains(scenario)) {
        chosen.add(scenario);
      }
    }
    return List.copyOf(chosen);
  }

  private static String known() {
    return Arrays.stream(values()).map(Scenario::id).collect(Collectors.joining(", "));
  }
}
