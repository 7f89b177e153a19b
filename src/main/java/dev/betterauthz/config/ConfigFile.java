package dev.betterauthz.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the optional settings file ({@code AUTHZ_CONFIG}): a flat YAML map of the same {@code
 * AUTHZ_*} keys as the environment. {@code AUTHZ_SCHEMA_OVERRIDES} may be a nested map there.
 */
final class ConfigFile {
  private ConfigFile() {}

  static Map<String, String> read(Path file, List<String> problems) {
    Map<String, String> values = new LinkedHashMap<>();
    Object root;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(10);
      root = new Yaml(new SafeConstructor(options)).load(reader);
    } catch (IOException e) {
      problems.add("AUTHZ_CONFIG=" + file + ": cannot read the file (" + e.getMessage() + ")");
      return values;
    } catch (YAMLException e) {
      problems.add("AUTHZ_CONFIG=" + file + ": not valid YAML: " + e.getMessage());
      return values;
    }
    if (root == null) {
      return values;
    }
    if (!(root instanceof Map<?, ?> map)) {
      problems.add("AUTHZ_CONFIG=" + file + ": expected a map of AUTHZ_* settings");
      return values;
    }
    map.forEach(
        (k, v) -> {
          String key = String.valueOf(k);
          if (v instanceof Map<?, ?> nested) {
            values.put(
                key,
                nested.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(",")));
          } else if (v instanceof List<?> list) {
            values.put(key, list.stream().map(String::valueOf).collect(Collectors.joining(",")));
          } else if (v != null) {
            values.put(key, String.valueOf(v));
          }
        });
    return values;
  }
}
