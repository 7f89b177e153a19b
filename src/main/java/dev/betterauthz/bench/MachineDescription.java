package dev.betterauthz.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a run measured: the absolute figures mean nothing without it. */
public record MachineDescription(int cores, String cpuModel, String jvm, String os) {

  /** Describes this machine (CPU model from {@code /proc/cpuinfo} where it exists). */
  public static MachineDescription current() {
    return new MachineDescription(
        Runtime.getRuntime().availableProcessors(),
        cpuModel(Path.of("/proc/cpuinfo")),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version"));
  }

  /** The first {@code model name} of a cpuinfo file, or {@code unknown}. */
  static String cpuModel(Path cpuinfo) {
    try {
      return new String(Files.readAllBytes(cpuinfo), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** One line for the report. */
  public String describe() {
    return cores + " cores, " + cpuModel + ", " + jvm + ", " + os;
  }
}
