package dev.betterauthz.policy;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the current policy and reloads it when its file changes. Every {@code poll} a daemon
 * thread compares the file's modification time and size (and re-reads a file modified within the
 * last two seconds, whose time stamp cannot be trusted to change again); a changed file is hashed,
 * and new content is loaded and swapped in atomically. An invalid version is logged once per
 * distinct content, counted, and ignored: the previous policy keeps serving. Polling rather than
 * {@code WatchService}, which misses atomic renames of mounted files in containers.
 *
 * <p>Thread-safe: {@link #current()} is a volatile read; reloads are serialized.
 */
public final class PolicyWatcher implements Supplier<Policy>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PolicyWatcher.class);
  private static final long MAX_BYTES = 4L * PolicyLoader.MAX_CODE_POINTS;
  private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(2);

  private final Path file;
  private final Duration poll;
  private final Consumer<ReloadOutcome> listener;
  private final AtomicReference<Policy> current;
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final Object lock = new Object();
  private ScheduledExecutorService executor;
  private Stamp lastStamp;
  private byte[] servingHash;
  private byte[] rejectedHash;

  /**
   * @param file the policy file
   * @param initial the policy loaded from {@code file} at start; its content is taken as current
   * @param poll how often to look at the file ({@code AUTHZ_POLICY_RELOAD_POLL}, default 1s)
   * @param listener told about each reload and rejection, on the watcher's thread
   */
  public PolicyWatcher(Path file, Policy initial, Duration poll, Consumer<ReloadOutcome> listener) {
    this.file = Objects.requireNonNull(file, "file");
    this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    this.poll = Objects.requireNonNull(poll, "poll");
    this.listener = Objects.requireNonNull(listener, "listener");
    if (poll.isNegative() || poll.isZero()) {
      throw new IllegalArgumentException("poll must be positive: " + poll);
    }
    try {
      lastStamp = Stamp.of(file);
      servingHash = sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      log.warn("policy file {} is not readable yet: {}", file, e.getMessage());
    }
  }

  /** The policy to use now; never null, never half loaded. */
  public Policy current() {
    return current.get();
  }

  @Override
  public Policy get() {
    return current();
  }

  /** Starts polling on a daemon thread. */
  public synchronized void start() {
    if (executor != null) {
      throw new IllegalStateException("already started");
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "policy-watcher");
              thread.setDaemon(true);
              return thread;
            });
    long nanos = poll.toNanos();
    executor.scheduleWithFixedDelay(this::pollOnce, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  /** Looks at the file now, even if its time stamp and size did not change. */
  public ReloadOutcome reloadNow() {
    return check(true);
  }

  /** Number of versions loaded since start. */
  public long reloads() {
    return reloads.get();
  }

  /** Number of distinct invalid versions rejected since start. */
  public long rejected() {
    return rejected.get();
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  private void pollOnce() {
    try {
      check(false);
    } catch (RuntimeException e) {
      // NOTE: an escaped exception would cancel the schedule and silently stop reloads.
      log.error("policy watcher failed; will retry", e);
    }
  }

  private ReloadOutcome check(boolean force) {
    synchronized (lock) {
      byte[] content;
      try {
        Stamp stamp = Stamp.of(file);
        if (!force && stamp.equals(lastStamp) && stamp.settled()) {
          return new ReloadOutcome.Unchanged();
        }
        lastStamp = stamp;
        if (stamp.size() > MAX_BYTES) {
          String message = "policy file is larger than " + MAX_BYTES + " bytes";
          return reject(sha256(message.getBytes(UTF_8)), List.of(error(message)));
        }
        content = Files.readAllBytes(file);
      } catch (IOException e) {
        lastStamp = null;
        String message = "cannot read policy file: " + e;
        return reject(
            sha256(message.getBytes()),
            List.of(new PolicyError(file.toString(), 0, 0, "", message)));
      }
      byte[] hash = sha256(content);
      if (Arrays.equals(hash, servingHash) || Arrays.equals(hash, rejectedHash)) {
        return new ReloadOutcome.Unchanged();
      }
      try {
        Policy loaded =
            PolicyLoader.parse(PolicyLoader.decode(content, file.toString()), file.toString());
        return swap(hash, loaded);
      } catch (PolicyException e) {
        return reject(hash, e.errors());
      }
    }
  }

  private PolicyError error(String message) {
    return new PolicyError(file.toString(), 0, 0, "", message);
  }

  private ReloadOutcome swap(byte[] hash, Policy loaded) {
    Policy previous = current.getAndSet(loaded);
    servingHash = hash;
    rejectedHash = null;
    reloads.incrementAndGet();
    log.info("policy reloaded from {}: {} routes", file, loaded.routes().routes().size());
    loaded.warnings().forEach(warning -> log.warn("policy warning: {}", warning));
    return notify(new ReloadOutcome.Reloaded(previous, loaded));
  }

  private ReloadOutcome reject(byte[] hash, List<PolicyError> errors) {
    if (Arrays.equals(hash, rejectedHash)) {
      return new ReloadOutcome.Unchanged();
    }
    rejectedHash = hash;
    rejected.incrementAndGet();
    log.warn(
        "policy {} rejected, the previous version keeps serving:\n{}",
        file,
        new PolicyException(errors).getMessage());
    return notify(new ReloadOutcome.Rejected(errors));
  }

  private ReloadOutcome notify(ReloadOutcome outcome) {
    try {
      listener.accept(outcome);
    } catch (RuntimeException e) {
      log.error("policy reload listener failed", e);
    }
    return outcome;
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** Modification time and size of the file at one look. */
  private record Stamp(long modifiedNanos, long size, long seenAtNanos) {
    static Stamp of(Path file) throws IOException {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      long modified = attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
      return new Stamp(modified, attributes.size(), currentNanos());
    }

    /** True when the file was last modified well before we looked (no racy same-stamp write). */
    boolean settled() {
      return seenAtNanos - modifiedNanos > SETTLE_NANOS;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Stamp that
          && modifiedNanos == that.modifiedNanos
          && size == that.size;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(modifiedNanos) * 31 + Long.hashCode(size);
    }

    private static long currentNanos() {
      java.time.Instant now = java.time.Instant.now();
      return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }
  }
}
