package dev.betterauthz.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A route's path pattern compiled into segment matchers: literal segments compare by region, a
 * {@code {param}} segment takes exactly one non-empty segment. An exact pattern matches that path
 * only; a prefix pattern matches that path and anything below it on a segment boundary ({@code
 * /api/me} matches {@code /api/me/x}, not {@code /api/meow}). A trailing slash in the pattern is
 * required in the path. Immutable and thread-safe; {@link #matches} allocates nothing.
 */
public final class PathPattern {
  private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final String text;
  private final boolean prefix;
  private final String[] literals;
  private final String[] params;
  private final boolean trailingSlash;

  private PathPattern(String text, boolean prefix, String[] literals, String[] params) {
    this.text = text;
    this.prefix = prefix;
    this.literals = literals;
    this.params = params;
    this.trailingSlash = text.endsWith("/");
  }

  /** An exact pattern; throws {@link IllegalArgumentException} when it is invalid. */
  public static PathPattern exact(String pattern) {
    return compile(pattern, false);
  }

  /** A prefix pattern; throws {@link IllegalArgumentException} when it is invalid. */
  public static PathPattern prefix(String pattern) {
    return compile(pattern, true);
  }

  private static PathPattern compile(String pattern, boolean prefix) {
    List<String> problems = new ArrayList<>();
    PathPattern compiled = parse(pattern, prefix, problems);
    if (compiled == null) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return compiled;
  }

  /** Compiles {@code pattern}, or adds what is wrong to {@code problems} and returns null. */
  static PathPattern parse(String pattern, boolean prefix, List<String> problems) {
    int before = problems.size();
    if (pattern.isEmpty() || pattern.charAt(0) != '/') {
      problems.add("must start with '/'");
      return null;
    }
    boolean trailing = pattern.length() > 1 && pattern.endsWith("/");
    String body = pattern.substring(1, pattern.length() - (trailing ? 1 : 0));
    String[] segments = body.isEmpty() ? new String[0] : body.split("/", -1);
    String[] literals = new String[segments.length];
    String[] params = new String[segments.length];
    StringBuilder probe = new StringBuilder();
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      var param = PARAM.matcher(segment);
      if (param.matches()) {
        params[i] = param.group(1);
        if (Arrays.asList(params).subList(0, i).contains(params[i])) {
          problems.add("parameter {" + params[i] + "} appears twice");
        }
        probe.append("/p");
      } else if (segment.isEmpty()) {
        problems.add("empty segment ('//')");
      } else if (segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0) {
        problems.add("'" + segment + "': a {param} must be a whole segment named [A-Za-z0-9_]");
      } else {
        literals[i] = segment;
        probe.append('/').append(segment);
      }
    }
    if (problems.size() == before) {
      String candidate = probe.append(trailing || segments.length == 0 ? "/" : "").toString();
      Optional<String> normalized = RequestPaths.normalize(candidate);
      if (normalized.isEmpty() || !normalized.get().equals(candidate)) {
        problems.add(
            "is not a normalized path (requests are matched after normalization, see"
                + " docs/path-normalization.md), so it would never match");
      }
    }
    return problems.size() == before ? new PathPattern(pattern, prefix, literals, params) : null;
  }

  /** The pattern as written. */
  public String text() {
    return text;
  }

  public boolean isPrefix() {
    return prefix;
  }

  /** Names of the {@code {param}} segments, in order. */
  public List<String> params() {
    List<String> names = new ArrayList<>();
    for (String name : params) {
      if (name != null) {
        names.add(name);
      }
    }
    return names;
  }

  /** The first segment when it is a literal (used to index routes). */
  Optional<String> firstLiteral() {
    return literals.length > 0 && literals[0] != null ? Optional.of(literals[0]) : Optional.empty();
  }

  /** True when {@code path} has this shape; parameters are not decoded. Allocates nothing. */
  public boolean matches(String path) {
    int pos = 0;
    int length = path.length();
    for (String literal : literals) {
      if (pos >= length || path.charAt(pos) != '/') {
        return false;
      }
      int start = pos + 1;
      int end = path.indexOf('/', start);
      end = end < 0 ? length : end;
      if (literal == null
          ? end == start
          : end - start != literal.length()
              || !path.regionMatches(start, literal, 0, end - start)) {
        return false;
      }
      pos = end;
    }
    boolean atSlash = pos < length && path.charAt(pos) == '/';
    if (prefix) {
      return trailingSlash ? atSlash : pos == length || atSlash;
    }
    return trailingSlash ? atSlash && pos == length - 1 : pos == length;
  }

  /**
   * The percent-decoded parameters of a path that {@link #matches}, or empty when a value does not
   * decode to a clean segment (invalid escape, slash, backslash or control character).
   */
  Optional<Map<String, String>> capture(String path) {
    Map<String, String> values = new HashMap<>(params.length * 2);
    int pos = 0;
    for (String name : params) {
      int start = pos + 1;
      int end = path.indexOf('/', start);
      end = end < 0 ? path.length() : end;
      if (name != null) {
        String value = Escapes.decodeSegment(path, start, end);
        if (value == null) {
          return Optional.empty();
        }
        values.put(name, value);
      }
      pos = end;
    }
    return Optional.of(values);
  }

  @Override
  public String toString() {
    return (prefix ? "prefix " : "path ") + text;
  }
}
