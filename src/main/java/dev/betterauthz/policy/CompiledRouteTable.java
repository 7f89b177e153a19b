package dev.betterauthz.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Routes compiled once into segment matchers, matched in file order (first match wins). Routes are
 * indexed by the hash of their first literal segment, so a request only tries the routes that could
 * match its first segment plus those that start with a parameter, still in file order. Matching
 * allocates nothing unless a route matches (then only the parameter map). Immutable and
 * thread-safe.
 */
public final class CompiledRouteTable implements RouteTable {
  /** One route with its pattern. */
  public record Entry(PathPattern pattern, Route route) {
    public Entry {
      Objects.requireNonNull(pattern, "pattern");
      Objects.requireNonNull(route, "route");
    }
  }

  private final Entry[] entries;
  private final List<Route> routes;
  private final Map<String, Entry> byName;
  private final int[] bucketHashes;
  private final int[][] buckets;
  private final int[] unindexed;

  /**
   * @throws IllegalArgumentException when two entries share a route name
   */
  public CompiledRouteTable(List<Entry> entries) {
    this.entries = entries.toArray(new Entry[0]);
    List<Route> routeList = new ArrayList<>();
    Map<String, Entry> names = new LinkedHashMap<>();
    TreeMap<Integer, List<Integer>> indexed = new TreeMap<>();
    List<Integer> free = new ArrayList<>();
    for (int i = 0; i < this.entries.length; i++) {
      Entry entry = this.entries[i];
      routeList.add(entry.route());
      if (names.put(entry.route().name(), entry) != null) {
        throw new IllegalArgumentException("duplicate route name " + entry.route().name());
      }
      Optional<String> first = entry.pattern().firstLiteral();
      if (first.isPresent()) {
        indexed.computeIfAbsent(first.get().hashCode(), h -> new ArrayList<>()).add(i);
      } else {
        free.add(i);
      }
    }
    this.routes = List.copyOf(routeList);
    this.byName = Map.copyOf(names);
    this.unindexed = free.stream().mapToInt(Integer::intValue).toArray();
    this.bucketHashes = indexed.keySet().stream().mapToInt(Integer::intValue).toArray();
    this.buckets = new int[bucketHashes.length][];
    int b = 0;
    for (List<Integer> bucket : indexed.values()) {
      List<Integer> merged = new ArrayList<>(bucket);
      free.forEach(merged::add);
      buckets[b++] = merged.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
  }

  @Override
  public Optional<RouteMatch> match(String method, String normalizedPath) {
    for (int i : candidates(normalizedPath)) {
      Entry entry = entries[i];
      Route route = entry.route();
      if (!route.methods().isEmpty() && !route.methods().contains(method)) {
        continue;
      }
      if (entry.pattern().matches(normalizedPath)) {
        Optional<Map<String, String>> params = entry.pattern().capture(normalizedPath);
        if (params.isPresent()) {
          return Optional.of(new RouteMatch(route, params.get()));
        }
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<RouteMatch> matchRoute(String routeName, String method, String normalizedPath) {
    Entry entry = byName.get(routeName);
    if (entry == null) {
      return Optional.empty();
    }
    Route route = entry.route();
    if (!route.methods().isEmpty() && !route.methods().contains(method)) {
      return Optional.empty();
    }
    if (!entry.pattern().matches(normalizedPath)) {
      return Optional.empty();
    }
    return entry.pattern().capture(normalizedPath).map(params -> new RouteMatch(route, params));
  }

  /** Indexes of the routes that could match, in file order. */
  private int[] candidates(String path) {
    if (path.length() < 2 || path.charAt(0) != '/') {
      return unindexed;
    }
    int hash = 0;
    for (int i = 1; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '/') {
        break;
      }
      hash = 31 * hash + c;
    }
    int found = Arrays.binarySearch(bucketHashes, hash);
    return found >= 0 ? buckets[found] : unindexed;
  }

  @Override
  public Optional<Route> byName(String name) {
    return Optional.ofNullable(byName.get(name)).map(Entry::route);
  }

  /** The pattern of a route, for explanations. */
  public Optional<PathPattern> patternOf(String routeName) {
    return Optional.ofNullable(byName.get(routeName)).map(Entry::pattern);
  }

  @Override
  public List<Route> routes() {
    return routes;
  }

  /** Entries in file order. */
  public List<Entry> entries() {
    return List.of(entries);
  }

  @Override
  public String toString() {
    return "CompiledRouteTable" + Arrays.toString(entries);
  }
}
