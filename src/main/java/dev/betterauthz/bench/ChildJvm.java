package dev.betterauthz.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A JVM started from the bench's own classpath ({@code java -Xmx256m -cp <classpath> <main>}), with
 * its output in a log file. Both the baseline and the server under test run this way, so they are
 * measured alike. Variables named {@code AUTHZ_*} are not inherited from the bench's environment:
 * only the ones given apply.
 */
final class ChildJvm implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);

  private final Process process;
  private final Path log;

  private ChildJvm(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static ChildJvm start(String mainClass, Map<String, String> environment, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("AUTHZ_"));
    builder.environment().putAll(environment);
    return new ChildJvm(builder.start(), log);
  }

  /** A port nothing listens on right now (for settings that cannot take 0). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Waits for a log line starting with {@code prefix} and returns the integer after it. */
  int awaitPortLine(String prefix, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : lines()) {
        if (line.startsWith(prefix)) {
          return Integer.parseInt(line.substring(prefix.length()).trim());
        }
      }
      requireAlive();
      LockSupport.parkNanos(POLL.toNanos());
    }
    throw new IllegalStateException("no '" + prefix + "' line within " + timeout + tail());
  }

  /** Polls {@code readyz} until it answers 200. */
  void awaitReady(URI readyz, Duration timeout) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest request = HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      requireAlive();
      try {
        if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // NOTE: connection refused until the server listens; keep polling until the deadline.
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
    throw new IllegalStateException(readyz + " did not answer 200 within " + timeout + tail());
  }

  private void requireAlive() throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the child JVM exited with status " + process.exitValue() + tail());
    }
  }

  /** The end of the child's log, for error messages. */
  String tail() throws IOException {
    List<String> lines = lines();
    List<String> last = lines.subList(Math.max(0, lines.size() - 30), lines.size());
    return "; last lines of " + log + ":\n" + String.join("\n", last);
  }

  private List<String> lines() throws IOException {
    // NOTE: decoding replaces malformed bytes instead of failing, unlike Files.readAllLines.
    return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
  }

  Path log() {
    return log;
  }

  /** Stops the JVM (SIGTERM, then SIGKILL after 10 s). */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
