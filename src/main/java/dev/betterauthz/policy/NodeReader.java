package dev.betterauthz.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads typed values out of a composed YAML document, collecting every problem (with its line and
 * column) instead of stopping at the first. One instance per load; not thread-safe.
 */
final class NodeReader {
  private static final Set<Tag> PLAIN_TAGS =
      Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.SEQ, Tag.MAP, Tag.TIMESTAMP);

  private final String source;
  private final List<PolicyError> errors = new ArrayList<>();
  private final List<PolicyError> warnings = new ArrayList<>();

  NodeReader(String source) {
    this.source = source;
  }

  String source() {
    return source;
  }

  List<PolicyError> errors() {
    return errors;
  }

  List<PolicyError> warnings() {
    return warnings;
  }

  void error(Node node, Scope at, String message) {
    errors.add(problem(node, at, message));
  }

  void warn(Node node, Scope at, String message) {
    warnings.add(problem(node, at, message));
  }

  private PolicyError problem(Node node, Scope at, String message) {
    int line = node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    int column = node.getStartMark() == null ? 0 : node.getStartMark().getColumn() + 1;
    return new PolicyError(source, line, column, at.path(), message, at.route());
  }

  /**
   * The entries of a mapping, keyed by their (string) keys in document order. Reports a value that
   * is not a mapping, duplicate keys and keys outside {@code allowed} (with a did-you-mean); those
   * entries are left out. Empty when the node is not a mapping.
   */
  Optional<Map<String, Node>> mapping(Node node, Scope at, Collection<String> allowed) {
    if (!tagAllowed(node, at)) {
      return Optional.empty();
    }
    if (!(node instanceof MappingNode mapping)) {
      error(node, at, "expected a mapping (key: value), found " + describe(node));
      return Optional.empty();
    }
    Map<String, Node> entries = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode scalar) || keyNode.getTag().equals(Tag.NULL)) {
        error(keyNode, at, "keys must be plain strings");
        continue;
      }
      String key = scalar.getValue();
      if (entries.containsKey(key)) {
        error(keyNode, at.child(key), "duplicate key '" + key + "'");
      } else if (allowed != null && !allowed.contains(key)) {
        error(keyNode, at.child(key), unknownKey(key, allowed));
      } else {
        entries.put(key, tuple.getValueNode());
      }
    }
    return Optional.of(entries);
  }

  /** A scalar as text; reports null values, lists and mappings. */
  Optional<String> string(Node node, Scope at) {
    if (!tagAllowed(node, at)) {
      return Optional.empty();
    }
    if (node instanceof ScalarNode scalar && !node.getTag().equals(Tag.NULL)) {
      return Optional.of(scalar.getValue());
    }
    error(node, at, "expected a string, found " + describe(node));
    return Optional.empty();
  }

  /** A {@code true}/{@code false} scalar. */
  Optional<Boolean> bool(Node node, Scope at) {
    if (tagAllowed(node, at) && node instanceof ScalarNode scalar && node.getTag() == Tag.BOOL) {
      String value = scalar.getValue().toLowerCase(java.util.Locale.ROOT);
      return Optional.of(value.equals("true") || value.equals("yes") || value.equals("on"));
    }
    error(node, at, "expected true or false, found " + describe(node));
    return Optional.empty();
  }

  /** The items of a sequence. */
  Optional<List<Node>> sequence(Node node, Scope at) {
    if (!tagAllowed(node, at)) {
      return Optional.empty();
    }
    if (node instanceof SequenceNode sequence) {
      return Optional.of(sequence.getValue());
    }
    error(node, at, "expected a list, found " + describe(node));
    return Optional.empty();
  }

  /** A list of strings; items that are not strings are reported and skipped. */
  Optional<List<String>> strings(Node node, Scope at) {
    return sequence(node, at)
        .map(
            items -> {
              List<String> values = new ArrayList<>();
              for (int i = 0; i < items.size(); i++) {
                string(items.get(i), at.index(i)).ifPresent(values::add);
              }
              return values;
            });
  }

  private boolean tagAllowed(Node node, Scope at) {
    if (PLAIN_TAGS.contains(node.getTag())) {
      return true;
    }
    error(node, at, "tag " + node.getTag() + " is not allowed in a policy file");
    return false;
  }

  private static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    if (node.getTag().equals(Tag.NULL)) {
      return "nothing (null)";
    }
    String kind = node.getTag().equals(Tag.BOOL) ? "boolean" : "value";
    return kind + " '" + ((ScalarNode) node).getValue() + "'";
  }

  static String unknownKey(String key, Collection<String> allowed) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : allowed) {
      int distance = distance(key.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase());
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    String message = "unknown key '" + key + "'";
    if (best != null && bestDistance <= Math.max(1, Math.min(3, best.length() / 3))) {
      return message + " (did you mean '" + best + "'?)";
    }
    return message + " (expected one of " + String.join(", ", allowed) + ")";
  }

  /** Levenshtein distance. */
  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
