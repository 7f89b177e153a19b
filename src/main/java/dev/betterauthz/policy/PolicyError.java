package dev.betterauthz.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * One problem found in a policy file, with where it is.
 *
 * @param source the file (or other source name) the policy came from
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param path where in the document, e.g. {@code routes[2].match.path}; empty for the document
 * @param message what is wrong, written for the person editing the file
 * @param route the name of the route the problem is in, when known
 */
public record PolicyError(
    String source, int line, int column, String path, String message, Optional<String> route) {

  public PolicyError {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(route, "route");
  }

  /** A problem outside any route. */
  public PolicyError(String source, int line, int column, String path, String message) {
    this(source, line, column, path, message, Optional.empty());
  }

  /**
   * The problem on one line: {@code file:line:col: routes[2] (approve-leave) require[0]: message}.
   */
  public String format() {
    StringBuilder out = new StringBuilder(source);
    if (line > 0) {
      out.append(':').append(line).append(':').append(column);
    }
    out.append(": ");
    String where = describePath();
    if (!where.isEmpty()) {
      out.append(where).append(": ");
    }
    return out.append(message).toString();
  }

  private String describePath() {
    if (route.isEmpty() || !path.startsWith("routes[")) {
      return path;
    }
    int close = path.indexOf(']');
    String head = path.substring(0, close + 1) + " (" + route.get() + ")";
    String rest = path.substring(close + 1);
    return rest.isEmpty() ? head : head + " " + rest.substring(1);
  }

  @Override
  public String toString() {
    return format();
  }
}
