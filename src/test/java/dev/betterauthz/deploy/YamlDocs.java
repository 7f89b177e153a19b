package dev.betterauthz.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Loads YAML files (possibly several documents) as plain maps, and walks them by path. */
final class YamlDocs {
  private YamlDocs() {}

  static Map<String, Object> load(Path file) throws IOException {
    return asMap(new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file)));
  }

  static List<Map<String, Object>> loadAll(Path file) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object doc :
        new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
      if (doc != null) {
        out.add(asMap(doc));
      }
    }
    return out;
  }

  /** The value at a dotted path ({@code spec.template.spec}); numeric parts index lists. */
  static Object at(Object root, String path) {
    Object current = root;
    for (String part : path.split("\\.")) {
      if (current instanceof Map<?, ?> map) {
        current = map.get(part);
      } else if (current instanceof List<?> list && part.matches("\\d+")) {
        current = list.get(Integer.parseInt(part));
      } else {
        throw new AssertionError("no " + path + " (stopped at " + part + ")");
      }
      if (current == null) {
        throw new AssertionError("no " + path + " (missing " + part + ")");
      }
    }
    return current;
  }

  static Map<String, Object> map(Object root, String path) {
    return asMap(at(root, path));
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object root, String path) {
    return (List<Object>) at(root, path);
  }

  static String str(Object root, String path) {
    return String.valueOf(at(root, path));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object o) {
    if (!(o instanceof Map<?, ?>)) {
      throw new AssertionError("not a mapping: " + o);
    }
    return (Map<String, Object>) o;
  }
}
