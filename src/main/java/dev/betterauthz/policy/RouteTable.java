package dev.betterauthz.policy;

import java.util.List;
import java.util.Optional;

/**
 * The compiled routes of one policy, matched in file order (first match wins). Immutable and
 * thread-safe; matching compiles nothing per request.
 */
public interface RouteTable {

  /**
   * @param method upper-case HTTP method
   * @param normalizedPath a path already normalized by {@link RequestPaths} (no query string)
   */
  Optional<RouteMatch> match(String method, String normalizedPath);

  /** A route by its name (used when the gateway selects one with {@code context_extensions}). */
  Optional<Route> byName(String name);

  /**
   * Matches one named route only, ignoring the routes before it: the gateway selected the route
   * with {@code context_extensions}, so file order does not apply. Empty when that route does not
   * exist or does not match the method and path.
   */
  Optional<RouteMatch> matchRoute(String routeName, String method, String normalizedPath);

  List<Route> routes();
}
