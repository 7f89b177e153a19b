package dev.betterauthz.policy;

import java.util.Optional;

/**
 * Where the loader is in a policy document: the path ({@code routes[2].match}) and the route being
 * read, if any. Immutable.
 */
record Scope(String path, Optional<String> route) {
  static final Scope ROOT = new Scope("", Optional.empty());

  Scope child(String key) {
    return new Scope(path.isEmpty() ? key : path + "." + key, route);
  }

  Scope index(int i) {
    return new Scope(path + "[" + i + "]", route);
  }

  Scope inRoute(String name) {
    return new Scope(path, Optional.of(name));
  }
}
