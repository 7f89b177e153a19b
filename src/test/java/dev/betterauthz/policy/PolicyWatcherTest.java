package dev.betterauthz.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyWatcherTest {
  private static final int ROUTES_PER_VERSION = 20;

  @TempDir Path dir;
  private final List<ReloadOutcome> outcomes = new CopyOnWriteArrayList<>();

  @Test
  void swapsInAValidNewVersion() throws Exception {
    Path file = write(version(1));
    try (PolicyWatcher watcher = watcher(file, Duration.ofSeconds(1))) {
      Policy first = watcher.current();
      write(version(2));

      ReloadOutcome outcome = watcher.reloadNow();

      assertThat(outcome).isInstanceOf(ReloadOutcome.Reloaded.class);
      assertThat(((ReloadOutcome.Reloaded) outcome).previous()).isSameAs(first);
      assertThat(tagOf(watcher.current())).isEqualTo("v2");
      assertThat(watcher.get()).isSameAs(watcher.current());
      assertThat(watcher.reloads()).isEqualTo(1);
      assertThat(outcomes).containsExactly(outcome);
    }
  }

  @Test
  void keepsTheOldVersionWhenTheNewOneIsInvalid() throws Exception {
    Path file = write(version(1));
    try (PolicyWatcher watcher = watcher(file, Duration.ofSeconds(1))) {
      Policy first = watcher.current();
      write("routes:\n  - name: broken\n    match: { path: /x }\n");

      ReloadOutcome outcome = watcher.reloadNow();
      ReloadOutcome again = watcher.reloadNow();

      assertThat(outcome).isInstanceOf(ReloadOutcome.Rejected.class);
      assertThat(((ReloadOutcome.Rejected) outcome).errors())
          .singleElement()
          .satisfies(error -> assertThat(error.line()).isEqualTo(2));
      assertThat(again).isInstanceOf(ReloadOutcome.Unchanged.class);
      assertThat(watcher.current()).isSameAs(first);
      assertThat(watcher.rejected()).isEqualTo(1);
      assertThat(watcher.reloads()).isZero();
    }
  }

  @Test
  void keepsServingWhenTheFileDisappears() throws Exception {
    Path file = write(version(1));
    try (PolicyWatcher watcher = watcher(file, Duration.ofSeconds(1))) {
      Files.delete(file);

      assertThat(watcher.reloadNow()).isInstanceOf(ReloadOutcome.Rejected.class);
      assertThat(tagOf(watcher.current())).isEqualTo("v1");
    }
  }

  @Test
  void unchangedContentIsNotReloaded() throws Exception {
    Path file = write(version(1));
    try (PolicyWatcher watcher = watcher(file, Duration.ofSeconds(1))) {
      write(version(1));

      assertThat(watcher.reloadNow()).isInstanceOf(ReloadOutcome.Unchanged.class);
      assertThat(watcher.reloads()).isZero();
      assertThat(outcomes).isEmpty();
    }
  }

  @Test
  void pollingPicksUpAnAtomicRename() throws Exception {
    Path file = write(version(1));
    try (PolicyWatcher watcher = watcher(file, Duration.ofMillis(10))) {
      watcher.start();
      Path staged = dir.resolve("staged.yaml");
      Files.writeString(staged, version(2));
      Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

      await()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(2))
          .atMost(Duration.ofSeconds(10))
          .until(() -> tagOf(watcher.current()).equals("v2"));
      assertThat(watcher.reloads()).isEqualTo(1);
    }
  }

  @Test
  void concurrentReadersAlwaysSeeACompletePolicy() throws Exception {
    Path file = write(version(0));
    try (PolicyWatcher watcher = watcher(file, Duration.ofMillis(1))) {
      watcher.start();
      AtomicBoolean done = new AtomicBoolean();
      AtomicReference<String> torn = new AtomicReference<>();
      AtomicLong reads = new AtomicLong();
      CountDownLatch readersDone = new CountDownLatch(2);
      for (int r = 0; r < 2; r++) {
        Thread reader =
            new Thread(
                () -> {
                  while (!done.get()) {
                    Policy policy = watcher.current();
                    Set<String> tags = tagsOf(policy);
                    if (tags.size() != 1 || policy.routes().routes().size() != ROUTES_PER_VERSION) {
                      torn.compareAndSet(null, tags + " in " + policy.routes().routes().size());
                    }
                    reads.incrementAndGet();
                    Thread.yield();
                  }
                  readersDone.countDown();
                });
        reader.setDaemon(true);
        reader.start();
      }

      for (int v = 1; v <= 50; v++) {
        Path staged = dir.resolve("staged.yaml");
        Files.writeString(staged, version(v));
        Files.move(
            staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        String expected = "v" + v;
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> tagOf(watcher.current()).equals(expected));
      }
      done.set(true);

      assertThat(readersDone.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(torn.get()).isNull();
      assertThat(reads.get()).isPositive();
      assertThat(watcher.reloads()).isEqualTo(50);
      assertThat(watcher.rejected()).isZero();
    }
  }

  private PolicyWatcher watcher(Path file, Duration poll) throws PolicyException {
    return new PolicyWatcher(file, PolicyLoader.load(file), poll, outcomes::add);
  }

  private Path write(String content) throws IOException {
    return Files.writeString(dir.resolve("policy.yaml"), content);
  }

  /** A policy whose routes all carry the version's tag in their names. */
  private static String version(int v) {
    StringBuilder yaml = new StringBuilder("roles: { staff: [\"leave:read\"] }\nroutes:\n");
    for (int i = 0; i < ROUTES_PER_VERSION; i++) {
      yaml.append("  - name: v").append(v).append("-r").append(i).append('\n');
      yaml.append("    match: { path: /r").append(i).append(" }\n");
      yaml.append("    require: [\"leave:read\"]\n");
    }
    return yaml.toString();
  }

  private static Set<String> tagsOf(Policy policy) {
    return policy.routes().routes().stream()
        .map(route -> route.name().substring(0, route.name().indexOf('-')))
        .collect(Collectors.toSet());
  }

  private static String tagOf(Policy policy) {
    return tagsOf(policy).iterator().next();
  }
}
