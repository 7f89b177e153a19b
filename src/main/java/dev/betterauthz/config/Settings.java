package dev.betterauthz.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of raw settings that collect every problem instead of stopping at the first. Each
 * read returns a usable fallback on error so loading can go on and report everything at once.
 */
final class Settings {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final Map<String, String> raw;
  private final List<String> problems = new ArrayList<>();

  Settings(Map<String, String> raw) {
    this.raw = raw;
  }

  List<String> problems() {
    return problems;
  }

  void problem(String message) {
    problems.add(message);
  }

  Optional<String> optional(String key) {
    String value = raw.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  String string(String key, String fallback) {
    return optional(key).orElse(fallback);
  }

  int integer(String key, int fallback, int min, int max) {
    return parsed(key, fallback, "a whole number", Integer::parseInt)
        .filter(v -> inRange(key, v, min, max))
        .orElse(fallback);
  }

  long longValue(String key, long fallback, long min, long max) {
    return parsed(key, fallback, "a whole number", Long::parseLong)
        .filter(v -> inRange(key, v, min, max))
        .orElse(fallback);
  }

  double fraction(String key, double fallback) {
    return parsed(key, fallback, "a number between 0 and 1", Double::parseDouble)
        .filter(v -> inRange(key, v, 0.0, 1.0))
        .orElse(fallback);
  }

  boolean bool(String key, boolean fallback) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return fallback;
    }
    switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true", "on", "yes", "1":
        return true;
      case "false", "off", "no", "0":
        return false;
      default:
        problem(key + "=" + value.get() + ": expected true/false (or on/off)");
        return fallback;
    }
  }

  Duration duration(String key, Duration fallback, Duration min, Duration max) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return fallback;
    }
    Matcher m = DURATION.matcher(value.get().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      problem(key + "=" + value.get() + ": expected a duration like 250ms, 30s, 5m, 1h or 1d");
      return fallback;
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      problem(key + "=" + value.get() + ": must be between " + show(min) + " and " + show(max));
      return fallback;
    }
    return d;
  }

  <E extends Enum<E>> E choice(String key, E fallback, Map<String, E> choices) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return fallback;
    }
    E chosen = choices.get(value.get().toLowerCase(Locale.ROOT));
    if (chosen == null) {
      problem(key + "=" + value.get() + ": expected one of " + String.join(", ", choices.keySet()));
      return fallback;
    }
    return chosen;
  }

  List<String> list(String key, List<String> fallback) {
    return optional(key)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(fallback);
  }

  Optional<URI> uri(String key, String value, List<String> schemes) {
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null
          || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
          || uri.getHost() == null) {
        problem(key + "=" + value + ": expected a " + String.join(" or ", schemes) + " URL");
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      problem(key + "=" + value + ": not a valid URL (" + e.getReason() + ")");
      return Optional.empty();
    }
  }

  private <T> Optional<T> parsed(String key, T fallback, String what, Function<String, T> parse) {
    Optional<String> value = optional(key);
    if (value.isEmpty()) {
      return Optional.of(fallback);
    }
    try {
      return Optional.of(parse.apply(value.get()));
    } catch (NumberFormatException e) {
      problem(key + "=" + value.get() + ": expected " + what);
      return Optional.empty();
    }
  }

  private <T extends Comparable<T>> boolean inRange(String key, T v, T min, T max) {
    if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
      problem(key + "=" + v + ": must be between " + min + " and " + max);
      return false;
    }
    return true;
  }

  static String show(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    if (s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    return s % 60 == 0 ? s / 60 + "m" : s + "s";
  }
}
