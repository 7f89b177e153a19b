package dev.betterauthz.policy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Loads and validates a policy file (DESIGN.md §3 "Policy file") into a {@link Policy} with a
 * {@link CompiledRouteTable}. Every problem is collected, with file, line and column, into one
 * {@link PolicyException}; a route whose permissions no role grants is a warning, kept in {@link
 * Policy#warnings()}. The YAML is read through SnakeYAML's node API with limits against YAML bombs:
 * at most {@value #MAX_ALIASES} aliases to collections, no custom tags, at most {@value
 * #MAX_CODE_POINTS} characters, nesting at most {@value #MAX_DEPTH} deep. Stateless and
 * thread-safe.
 */
public final class PolicyLoader {
  static final int MAX_CODE_POINTS = 1024 * 1024;
  static final int MAX_ALIASES = 10;
  static final int MAX_DEPTH = 20;
  private static final Pattern GRANT = Pattern.compile("\\*|[A-Za-z0-9_-]+:(\\*|[A-Za-z0-9_-]+)");
  private static final List<String> TOP_KEYS =
      List.of("roles", "platformRoles", "routes", "default");

  private PolicyLoader() {}

  /**
   * Reads and parses {@code file}; an unreadable or too large file is a {@link PolicyException}.
   */
  public static Policy load(Path file) throws PolicyException {
    String source = file.toString();
    try {
      if (Files.size(file) > 4L * MAX_CODE_POINTS) {
        throw single(source, "policy file is larger than " + 4L * MAX_CODE_POINTS + " bytes");
      }
      return parse(decode(Files.readAllBytes(file), source), source);
    } catch (NoSuchFileException e) {
      throw single(source, "file not found");
    } catch (IOException e) {
      throw single(source, "cannot read file: " + e.getMessage());
    }
  }

  /** Decodes file content as strict UTF-8. */
  static String decode(byte[] content, String source) throws PolicyException {
    String text = Escapes.decodeUtf8(content, content.length);
    if (text == null) {
      throw single(source, "file is not valid UTF-8");
    }
    return text;
  }

  /**
   * Parses policy text.
   *
   * @param yaml the policy document
   * @param sourceName where it came from, used in messages and {@link Policy#source()}
   */
  public static Policy parse(String yaml, String sourceName) throws PolicyException {
    if (yaml.length() > MAX_CODE_POINTS) {
      throw single(sourceName, "the policy is larger than " + MAX_CODE_POINTS + " characters");
    }
    Node root;
    try {
      root = new Yaml(loaderOptions()).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      int line = mark == null ? 0 : mark.getLine() + 1;
      int column = mark == null ? 0 : mark.getColumn() + 1;
      throw new PolicyException(
          List.of(new PolicyError(sourceName, line, column, "", "invalid YAML: " + problem)));
    } catch (YAMLException e) {
      throw single(sourceName, "invalid YAML: " + e.getMessage());
    }
    if (root == null) {
      throw single(sourceName, "the policy is empty");
    }
    return build(root, new NodeReader(sourceName));
  }

  private static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setAllowRecursiveKeys(false);
    options.setAllowDuplicateKeys(true); // NOTE: reported by NodeReader, with line and column
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setTagInspector(tag -> false);
    options.setMergeOnCompose(false);
    return options;
  }

  private static Policy build(Node root, NodeReader reader) throws PolicyException {
    Map<String, Node> top = reader.mapping(root, Scope.ROOT, TOP_KEYS).orElse(Map.of());
    Map<String, PermissionSet> roles = readRoles(reader, top.get("roles"), "roles");
    Map<String, PermissionSet> platformRoles =
        readRoles(reader, top.get("platformRoles"), "platformRoles");
    List<PermissionSet> grantable = new ArrayList<>(roles.values());
    grantable.addAll(platformRoles.values());
    List<CompiledRouteTable.Entry> entries = readRoutes(reader, top.get("routes"), grantable);
    boolean defaultAllow = readDefault(reader, top.get("default"));
    if (!reader.errors().isEmpty()) {
      throw new PolicyException(reader.errors());
    }
    List<String> warnings = new ArrayList<>();
    reader.warnings().forEach(w -> warnings.add(w.format()));
    return new Policy(
        roles,
        platformRoles,
        new CompiledRouteTable(entries),
        defaultAllow,
        reader.source(),
        warnings);
  }

  private static Map<String, PermissionSet> readRoles(NodeReader reader, Node node, String key) {
    Map<String, PermissionSet> roles = new LinkedHashMap<>();
    if (node == null) {
      return roles;
    }
    Scope at = Scope.ROOT.child(key);
    Map<String, Node> entries = reader.mapping(node, at, null).orElse(Map.of());
    entries.forEach(
        (role, grantsNode) -> {
          Scope roleAt = at.child(role);
          List<Node> items = reader.sequence(grantsNode, roleAt).orElse(List.of());
          List<String> grants = new ArrayList<>();
          for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            Optional<String> grant = reader.string(item, roleAt.index(i));
            if (grant.isPresent() && GRANT.matcher(grant.get()).matches()) {
              grants.add(grant.get());
            } else if (grant.isPresent()) {
              reader.error(
                  item,
                  roleAt.index(i),
                  "'" + grant.get() + "' is not a grant ('*', 'resource:*' or 'resource:action')");
            }
          }
          roles.put(role, PermissionSet.of(grants));
        });
    return roles;
  }

  private static List<CompiledRouteTable.Entry> readRoutes(
      NodeReader reader, Node node, List<PermissionSet> grantable) {
    List<CompiledRouteTable.Entry> entries = new ArrayList<>();
    if (node == null) {
      return entries;
    }
    Scope at = Scope.ROOT.child("routes");
    List<Node> items = reader.sequence(node, at).orElse(List.of());
    RouteParser parser = new RouteParser(reader, grantable);
    for (int i = 0; i < items.size(); i++) {
      parser.parse(items.get(i), at.index(i)).ifPresent(entries::add);
    }
    return entries;
  }

  private static boolean readDefault(NodeReader reader, Node node) {
    if (node == null) {
      return false;
    }
    Scope at = Scope.ROOT.child("default");
    Optional<String> value = reader.string(node, at);
    if (value.isPresent() && !value.get().equals("allow") && !value.get().equals("deny")) {
      reader.error(node, at, "'" + value.get() + "' must be allow or deny");
    }
    return value.filter("allow"::equals).isPresent();
  }

  private static PolicyException single(String source, String message) {
    return new PolicyException(List.of(new PolicyError(source, 0, 0, "", message)));
  }
}
