package dev.betterauthz.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.betterauthz.config.AppConfig;
import dev.betterauthz.http.ForwardAuthServer;
import dev.betterauthz.http.HealthProbe;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DockerfileTest {
  private static List<String> instructions;

  /** The Dockerfile's instructions, continuation lines joined, comments dropped. */
  @BeforeAll
  static void load() throws IOException {
    String text = Files.readString(Path.of("Dockerfile")).replaceAll("\\\\\\n\\s*", " ");
    instructions = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        instructions.add(line.trim());
      }
    }
  }

  private static List<String> all(String keyword) {
    return instructions.stream().filter(i -> i.startsWith(keyword + " ")).toList();
  }

  @Test
  void buildsWithMavenAndRunsOnAJre17() {
    List<String> froms = all("FROM");
    assertThat(froms).hasSize(2);
    assertThat(froms.get(0)).contains("maven:").contains("temurin-17").endsWith("AS build");
    assertThat(froms.get(1)).isEqualTo("FROM eclipse-temurin:17-jre");
    assertThat(all("COPY")).anyMatch(c -> c.startsWith("COPY --from=build ") && c.contains(".jar"));
    assertThat(all("RUN")).anyMatch(r -> r.contains("mvn") && r.contains("package"));
  }

  @Test
  void runsAsANonRootUser() {
    List<String> users = all("USER");
    assertThat(users).isNotEmpty();
    String last = users.get(users.size() - 1).substring("USER ".length()).split(":")[0];
    assertThat(last).isNotIn("root", "0");
    assertThat(instructions.indexOf(users.get(users.size() - 1)))
        .as("USER comes after the last FROM")
        .isGreaterThan(instructions.indexOf(all("FROM").get(1)));
  }

  @Test
  void exposesTheContractPorts() {
    assertThat(all("EXPOSE")).hasSize(1);
    assertThat(Arrays.asList(all("EXPOSE").get(0).split(" "))).contains("9191", "8181");
  }

  @Test
  void healthCheckAsksReadyzAndFollowsIt() throws Exception {
    List<String> checks = all("HEALTHCHECK");
    assertThat(checks).hasSize(1);
    String json = checks.get(0).substring(checks.get(0).indexOf("CMD ") + 4);
    List<String> command = Arrays.asList(new ObjectMapper().readValue(json, String[].class));
    assertThat(String.join(" ", command)).contains("/readyz");

    // Run the very command against a real server: 0 when ready, non-zero when not.
    Vertx vertx = Vertx.vertx();
    AtomicBoolean ready = new AtomicBoolean(true);
    HealthProbe probe =
        new HealthProbe() {
          @Override
          public boolean ready() {
            return ready.get();
          }

          @Override
          public Map<String, String> detail() {
            return Map.of();
          }
        };
    ForwardAuthServer server =
        new ForwardAuthServer(
            vertx,
            new AppConfig.ServerConfig(
                "127.0.0.1", 0, 0, "/check", Duration.ofSeconds(1), AppConfig.StartupChecks.OFF),
            r -> CompletableFuture.failedFuture(new IllegalStateException()),
            probe,
            () -> "");
    try {
      int port = server.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
      List<String> local = command.stream().map(c -> c.replace("8181", "" + port)).toList();
      assertThat(run(local)).isZero();
      ready.set(false);
      assertThat(run(local)).isNotZero();
    } finally {
      server.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static int run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  @Test
  void dockerignoreKeepsTheContextSmall() throws IOException {
    List<String> lines = Files.readAllLines(Path.of(".dockerignore"));
    assertThat(lines).contains("*", "!pom.xml", "!src/", "src/test/");
  }
}
