package dev.betterauthz.config;

import java.util.List;

/** Every problem found in the settings, reported together so one fix-and-restart is enough. */
public final class ConfigException extends Exception {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(render(problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }

  private static String render(List<String> problems) {
    StringBuilder out = new StringBuilder("invalid configuration (");
    out.append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
    problems.forEach(p -> out.append("\n  - ").append(p));
    return out.toString();
  }
}
