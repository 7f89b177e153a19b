package dev.betterauthz.policy;

import java.util.Map;
import java.util.Objects;

/**
 * A route that matched a request, with the values of its {@code {param}} path segments (already
 * percent-decoded).
 */
public record RouteMatch(Route route, Map<String, String> pathParams) {
  public RouteMatch {
    Objects.requireNonNull(route, "route");
    pathParams = Map.copyOf(pathParams);
  }
}
