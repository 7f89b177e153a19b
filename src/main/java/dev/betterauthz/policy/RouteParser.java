package dev.betterauthz.policy;

import dev.betterauthz.tenancy.Consistency;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads one entry of the policy's {@code routes} list, reporting problems to a reader. */
final class RouteParser {
  static final Pattern NAME = Pattern.compile("[a-z0-9_.-]+");
  static final Pattern PERMISSION = Pattern.compile("[A-Za-z0-9_-]+:[A-Za-z0-9_-]+");
  private static final Pattern HEADER = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final List<String> ROUTE_KEYS =
      List.of(
          "name", "match", "public", "authenticated", "tenant", "require", "consistency", "mode");
  private static final List<String> MATCH_KEYS = List.of("methods", "path", "prefix");
  private static final List<String> TENANT_KEYS = List.of("path", "header", "claim", "by");
  private static final List<String> METHODS =
      List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

  private final NodeReader reader;
  private final List<PermissionSet> grantable;
  private final Set<String> names = new LinkedHashSet<>();

  /**
   * @param grantable the permission sets of every member and platform role, to warn about required
   *     permissions nobody can hold
   */
  RouteParser(NodeReader reader, List<PermissionSet> grantable) {
    this.reader = reader;
    this.grantable = grantable;
  }

  /** The route at {@code routes[index]}, or empty when it has problems (all reported). */
  Optional<CompiledRouteTable.Entry> parse(Node node, Scope routeAt) {
    Scope at = declaredName(node).map(routeAt::inRoute).orElse(routeAt);
    Optional<Map<String, Node>> read = reader.mapping(node, at, ROUTE_KEYS);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Node> fields = read.get();
    int errorsBefore = reader.errors().size();
    Scope scope = readName(node, fields, at);
    String name = scope.route().orElse("");
    Set<String> methods = new LinkedHashSet<>();
    Optional<PathPattern> pattern = readMatch(node, fields.get("match"), scope, methods);
    Optional<Boolean> isPublic = flag(fields, "public", scope);
    boolean authenticated = flag(fields, "authenticated", scope).orElse(false);
    Optional<TenantSource> tenant = readTenant(fields.get("tenant"), scope, pattern);
    List<String> require = readRequire(fields.get("require"), scope);
    Consistency consistency =
        choice(fields.get("consistency"), scope.child("consistency"), Consistency.class)
            .orElse(Consistency.CACHED);
    boolean shadow =
        choice(fields.get("mode"), scope.child("mode"), Mode.class).orElse(Mode.ENFORCE)
            == Mode.SHADOW;
    if (isPublic.isPresent()) {
      checkAccess(
          node, fields, scope, isPublic.get(), authenticated || fields.containsKey("require"));
    }
    if (consistency == Consistency.CLAIMS && !fields.containsKey("tenant")) {
      reader.warn(
          fields.get("consistency"),
          scope.child("consistency"),
          "'claims' only has an effect on a route with a tenant");
    }
    if (reader.errors().size() > errorsBefore || pattern.isEmpty()) {
      return Optional.empty();
    }
    Route.Access access =
        isPublic.get()
            ? Route.Access.PUBLIC
            : require.isEmpty() ? Route.Access.AUTHENTICATED : Route.Access.PERMISSIONS;
    Route route = new Route(name, methods, access, tenant, require, consistency, shadow);
    return Optional.of(new CompiledRouteTable.Entry(pattern.get(), route));
  }

  /** Route modes. */
  private enum Mode {
    ENFORCE,
    SHADOW
  }

  private Scope readName(Node node, Map<String, Node> fields, Scope at) {
    Node nameNode = fields.get("name");
    if (nameNode == null) {
      reader.error(node, at, "missing 'name'");
      return at;
    }
    Optional<String> name = reader.string(nameNode, at.child("name"));
    if (name.isEmpty()) {
      return at;
    }
    if (!NAME.matcher(name.get()).matches()) {
      reader.error(nameNode, at.child("name"), "'" + name.get() + "' must match [a-z0-9_.-]+");
    } else if (!names.add(name.get())) {
      reader.error(nameNode, at.child("name"), "duplicate route name '" + name.get() + "'");
    }
    return at;
  }

  private Optional<PathPattern> readMatch(
      Node routeNode, Node node, Scope scope, Set<String> methods) {
    Scope at = scope.child("match");
    if (node == null) {
      reader.error(routeNode, scope, "missing 'match'");
      return Optional.empty();
    }
    Map<String, Node> fields = reader.mapping(node, at, MATCH_KEYS).orElse(null);
    if (fields == null) {
      return Optional.empty();
    }
    if (fields.containsKey("methods")) {
      readMethods(fields.get("methods"), at.child("methods"), methods);
    }
    Node path = fields.get("path");
    Node prefix = fields.get("prefix");
    if ((path == null) == (prefix == null)) {
      reader.error(node, at, "needs exactly one of 'path' (exact) or 'prefix'");
      return Optional.empty();
    }
    Scope where = at.child(path != null ? "path" : "prefix");
    Node patternNode = path != null ? path : prefix;
    return reader
        .string(patternNode, where)
        .flatMap(
            text -> {
              List<String> problems = new ArrayList<>();
              PathPattern compiled = PathPattern.parse(text, prefix != null, problems);
              problems.forEach(p -> reader.error(patternNode, where, "'" + text + "' " + p));
              return Optional.ofNullable(compiled);
            });
  }

  private void readMethods(Node node, Scope at, Set<String> methods) {
    Optional<List<Node>> items = reader.sequence(node, at);
    if (items.isPresent() && items.get().isEmpty()) {
      reader.error(node, at, "must list at least one method (leave 'methods' out for any method)");
    }
    List<Node> list = items.orElse(List.of());
    for (int i = 0; i < list.size(); i++) {
      Node item = list.get(i);
      Optional<String> value = reader.string(item, at.index(i));
      String method = value.orElse("").toUpperCase(Locale.ROOT);
      if (METHODS.contains(method)) {
        methods.add(method);
      } else if (value.isPresent()) {
        reader.error(
            item, at.index(i), "'" + value.get() + "' is not one of " + String.join(", ", METHODS));
      }
    }
  }

  private Optional<TenantSource> readTenant(Node node, Scope scope, Optional<PathPattern> pattern) {
    Scope at = scope.child("tenant");
    if (node == null) {
      return Optional.empty();
    }
    Map<String, Node> fields = reader.mapping(node, at, TENANT_KEYS).orElse(null);
    if (fields == null) {
      return Optional.empty();
    }
    List<TenantSource.Kind> kinds = new ArrayList<>();
    for (TenantSource.Kind kind : TenantSource.Kind.values()) {
      if (fields.containsKey(kind.name().toLowerCase(Locale.ROOT))) {
        kinds.add(kind);
      }
    }
    if (kinds.size() != 1) {
      reader.error(node, at, "needs exactly one of 'path', 'header' or 'claim'");
      return Optional.empty();
    }
    TenantSource.Kind kind = kinds.get(0);
    String key = kind.name().toLowerCase(Locale.ROOT);
    Node valueNode = fields.get(key);
    Optional<String> value = reader.string(valueNode, at.child(key));
    boolean bySlug = choice(fields.get("by"), at.child("by"), By.class).orElse(By.ID) == By.SLUG;
    if (value.isEmpty()) {
      return Optional.empty();
    }
    String name =
        kind == TenantSource.Kind.HEADER ? value.get().toLowerCase(Locale.ROOT) : value.get();
    Optional<String> problem = checkTenantName(kind, name, pattern);
    problem.ifPresent(p -> reader.error(valueNode, at.child(key), p));
    return problem.isPresent()
        ? Optional.empty()
        : Optional.of(new TenantSource(kind, name, bySlug));
  }

  /** How a tenant value names its organization. */
  private enum By {
    ID,
    SLUG
  }

  private static Optional<String> checkTenantName(
      TenantSource.Kind kind, String name, Optional<PathPattern> pattern) {
    switch (kind) {
      case PATH:
        if (pattern.isPresent() && !pattern.get().params().contains(name)) {
          return Optional.of(
              "'" + name + "' is not a parameter of the route's pattern " + pattern.get().params());
        }
        return Optional.empty();
      case HEADER:
        return HEADER.matcher(name).matches()
            ? Optional.empty()
            : Optional.of("'" + name + "' is not a valid header name");
      default:
        return name.isBlank() ? Optional.of("claim name must not be empty") : Optional.empty();
    }
  }

  private List<String> readRequire(Node node, Scope scope) {
    if (node == null) {
      return List.of();
    }
    Scope at = scope.child("require");
    List<String> permissions = new ArrayList<>();
    List<Node> items = reader.sequence(node, at).orElse(List.of());
    if (node instanceof SequenceNode && items.isEmpty()) {
      reader.error(node, at, "must not be empty (use 'authenticated: true' for any valid token)");
    }
    for (int i = 0; i < items.size(); i++) {
      Scope itemAt = at.index(i);
      Node item = items.get(i);
      reader
          .string(item, itemAt)
          .ifPresent(
              permission -> {
                if (permission.contains("*")) {
                  reader.error(
                      item,
                      itemAt,
                      "'"
                          + permission
                          + "' is a wildcard; require takes concrete permissions"
                          + " (resource:action); wildcards are for roles");
                } else if (!PERMISSION.matcher(permission).matches()) {
                  reader.error(
                      item, itemAt, "'" + permission + "' is not a permission (resource:action)");
                } else {
                  permissions.add(permission);
                  warnIfUngranted(item, itemAt, permission);
                }
              });
    }
    return permissions;
  }

  private void warnIfUngranted(Node item, Scope at, String permission) {
    if (grantable.stream().noneMatch(set -> set.grants(permission))) {
      reader.warn(item, at, "'" + permission + "' is granted by no role in roles or platformRoles");
    }
  }

  /** The flag's value: false when absent, empty when invalid (already reported). */
  private Optional<Boolean> flag(Map<String, Node> fields, String key, Scope scope) {
    Node node = fields.get(key);
    return node == null ? Optional.of(false) : reader.bool(node, scope.child(key));
  }

  /** The route's name as written, before validation, so every problem can name its route. */
  private static Optional<String> declaredName(Node node) {
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key
            && key.getValue().equals("name")
            && tuple.getValueNode() instanceof ScalarNode value) {
          return Optional.of(value.getValue());
        }
      }
    }
    return Optional.empty();
  }

  private void checkAccess(
      Node node, Map<String, Node> fields, Scope scope, boolean isPublic, boolean needsUser) {
    if (isPublic) {
      for (String key : List.of("authenticated", "require", "tenant")) {
        if (fields.containsKey(key)) {
          reader.error(
              fields.get(key), scope.child(key), "a public route cannot also have '" + key + "'");
        }
      }
    } else if (!needsUser && !fields.containsKey("public")) {
      reader.error(
          node,
          scope,
          "must say what it needs: 'public: true', 'authenticated: true' or 'require: [...]'");
    } else if (!needsUser) {
      reader.error(
          fields.get("public"),
          scope.child("public"),
          "'public: false' needs 'authenticated: true' or 'require: [...]'");
    }
  }

  private <E extends Enum<E>> Optional<E> choice(Node node, Scope at, Class<E> type) {
    if (node == null) {
      return Optional.empty();
    }
    Optional<String> text = reader.string(node, at);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    for (E value : type.getEnumConstants()) {
      if (value.name().equalsIgnoreCase(text.get())) {
        return Optional.of(value);
      }
    }
    List<String> options = new ArrayList<>();
    for (E value : type.getEnumConstants()) {
      options.add(value.name().toLowerCase(Locale.ROOT));
    }
    reader.error(node, at, "'" + text.get() + "' must be one of " + String.join(", ", options));
    return Optional.empty();
  }
}
