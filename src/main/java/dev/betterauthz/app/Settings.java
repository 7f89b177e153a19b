package dev.betterauthz.app;

import dev.betterauthz.config.AppConfig;
import dev.betterauthz.config.ConfigException;
import dev.betterauthz.config.ConfigLoader;
import java.util.Optional;

/** Loads the settings for a command, printing every problem to stderr when they are invalid. */
final class Settings {
  /** Exit code of any command started with invalid settings or an invalid policy file. */
  static final int BAD_SETTINGS = 2;

  private Settings() {}

  static Optional<AppConfig> load() {
    try {
      return Optional.of(ConfigLoader.fromEnvironment());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return Optional.empty();
    }
  }
}
