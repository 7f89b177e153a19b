package dev.betterauthz.http;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx started as a child process from a config generated in a temp dir: the http-level
 * snippet {@code deploy/nginx/better-authz.conf} with its addresses replaced by loopback ports.
 * Fails (never skips) when nginx is not installed.
 */
final class NginxProcess implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final int port;

  private NginxProcess(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /**
   * Starts nginx with {@code snippet} after replacing each key of {@code replacements}; the
   * snippet's {@code listen 8080;} becomes a free loopback port.
   */
  static NginxProcess start(Path snippet, Map<String, String> replacements) throws IOException {
    String binary = binary();
    Path dir = Files.createTempDirectory("nginx-it");
    int port = freePort();
    String conf = Files.readString(snippet);
    for (Map.Entry<String, String> r : replacements.entrySet()) {
      conf = conf.replace(r.getKey(), r.getValue());
    }
    conf = conf.replace("listen 8080;", "listen 127.0.0.1:" + port + ";");
    Files.writeString(dir.resolve("better-authz.conf"), conf);
    Files.writeString(dir.resolve("nginx.conf"), mainConfig(dir));
    ProcessBuilder builder =
        new ProcessBuilder(
            binary,
            "-p",
            dir.toString(),
            "-e",
            dir.resolve("error.log").toString(),
            "-c",
            "nginx.conf",
            "-g",
            "daemon off; pid " + dir.resolve("nginx.pid") + ";");
    builder.redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile());
    NginxProcess nginx = new NginxProcess(builder.start(), dir, port);
    nginx.awaitListening();
    return nginx;
  }

  int port() {
    return port;
  }

  /** nginx's error log so far (for failure messages). */
  String errorLog() {
    try {
      Path log = dir.resolve("error.log");
      String out = Files.exists(log) ? Files.readString(log) : "";
      return out + Files.readString(dir.resolve("stdout.log"));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void awaitListening() {
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "nginx exited with " + process.exitValue() + ":\n" + errorLog());
              }
              try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
              } catch (IOException e) {
                return false;
              }
            });
  }

  private static String mainConfig(Path dir) {
    boolean root = "root".equals(System.getProperty("user.name"));
    return String.join(
        "\n",
        List.of(
            // NOTE: as root, workers would run as `nobody` and could not enter the 0700 temp dir.
            root ? "user root;" : "",
            "worker_processes 1;",
            "events { worker_connections 128; }",
            "http {",
            "  access_log " + dir.resolve("access.log") + ";",
            "  client_body_temp_path " + dir.resolve("client_body") + ";",
            "  proxy_temp_path " + dir.resolve("proxy") + ";",
            "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
            "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
            "  scgi_temp_path " + dir.resolve("scgi") + ";",
            "  include " + dir.resolve("better-authz.conf") + ";",
            "}",
            ""));
  }

  private static String binary() {
    for (String candidate : List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx")) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(File.pathSeparator)) {
      File f = new File(entry, "nginx");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    throw new AssertionError(
        "nginx is not installed, and the gateway end-to-end test needs a real one. Install it with"
            + " `apt-get install -y --no-install-recommends nginx` (or run scripts/services.sh).");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
