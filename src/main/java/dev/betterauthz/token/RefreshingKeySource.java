package dev.betterauthz.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.betterauthz.config.AppConfig.JwtConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refresh rules shared by every {@link KeySource}; subclasses only {@link #fetch()}. Fetches at
 * start, then every {@code jwksRefresh} on one daemon thread. All fetches are single-flight. An
 * unknown {@code kid} causes at most one fetch per {@code jwksMinRefetch}; a kid still unknown
 * after a fetch is remembered until the next successful fetch. A failed fetch keeps the last good
 * key set, which serves until {@code jwksMaxStale} after its fetch; then no key is served and the
 * source is not ready. While not ready (nothing loaded yet, or too stale), a failed fetch is
 * retried after 1 s, doubling up to {@code min(jwksRefresh, 30 s)}, so a server that started before
 * its issuer becomes ready soon after the issuer answers. Thread-safe.
 */
public abstract class RefreshingKeySource implements KeySource {
  private static final Logger log = LoggerFactory.getLogger(RefreshingKeySource.class);
  private static final int MAX_REMEMBERED_UNKNOWN_KIDS = 10_000;
  static final long FIRST_RETRY_MILLIS = 1_000;
  static final long MAX_RETRY_MILLIS = 30_000;

  private record Loaded(KeySet keys, Instant at) {}

  private final JwtConfig config;
  private final Clock clock;
  private final String name;
  private final ScheduledExecutorService scheduler;
  private final AtomicReference<CompletableFuture<KeySet>> inFlight = new AtomicReference<>();
  private final Cache<String, Boolean> unknownKidMemory =
      Caffeine.newBuilder().maximumSize(MAX_REMEMBERED_UNKNOWN_KIDS).build();
  private final Set<String> reportedSkips = ConcurrentHashMap.newKeySet();
  private final AtomicLong successes = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong unknownKids = new AtomicLong();
  private final Object rateLock = new Object();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean retryScheduled = new AtomicBoolean();
  private volatile long retryMillis = FIRST_RETRY_MILLIS;
  private volatile Loaded loaded;
  private Instant lastUnknownKidFetch = Instant.MIN;

  /**
   * @param name used in thread names and log lines (e.g. {@code jwks-http})
   */
  protected RefreshingKeySource(JwtConfig config, Clock clock, String name) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.name = Objects.requireNonNull(name, "name");
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, name + "-refresh");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Loads the current keys from the issuer. Called on the refresh thread or a caller's thread; must
   * not block for long (return a stage) and should honour {@code jwksFetchTimeout}.
   */
  protected abstract CompletionStage<List<VerificationKey>> fetch();

  @Override
  public CompletionStage<Void> start() {
    long every = config.jwksRefresh().toMillis();
    scheduler.scheduleWithFixedDelay(
        this::refreshInBackground, every, every, TimeUnit.MILLISECONDS);
    return refresh();
  }

  /** Fetches now (joining a fetch in flight); completes exceptionally if the fetch failed. */
  public CompletionStage<Void> refresh() {
    return fetchShared().thenApply(keys -> null);
  }

  @Override
  public boolean isReady() {
    Loaded current = loaded;
    return current != null && !current.keys().isEmpty() && fresh(current);
  }

  @Override
  public KeySet keys() {
    Loaded current = loaded;
    return current != null && fresh(current) ? current.keys() : KeySet.EMPTY;
  }

  @Override
  public CompletionStage<KeySet> refetchForUnknownKid(String kid) {
    unknownKids.incrementAndGet();
    if (unknownKidMemory.getIfPresent(kid) != null) {
      return CompletableFuture.completedStage(keys());
    }
    CompletableFuture<KeySet> running = inFlight.get();
    if (running == null && !takeRefetchSlot()) {
      unknownKidMemory.put(kid, Boolean.TRUE);
      return CompletableFuture.completedStage(keys());
    }
    CompletableFuture<KeySet> fetch = running != null ? running : fetchShared();
    return fetch.handle(
        (ignored, error) -> {
          KeySet now = keys();
          if (now.find(kid).isEmpty()) {
            unknownKidMemory.put(kid, Boolean.TRUE);
          }
          return now;
        });
  }

  @Override
  public Instant lastSuccess() {
    Loaded current = loaded;
    return current == null ? Instant.EPOCH : current.at();
  }

  @Override
  public long fetchSuccesses() {
    return successes.get();
  }

  @Override
  public long fetchFailures() {
    return failures.get();
  }

  @Override
  public long unknownKids() {
    return unknownKids.get();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  /**
   * Keeps the usable keys of a parsed key set and logs each skipped key once per source lifetime
   * (at WARN, without key material).
   */
  protected final List<VerificationKey> keep(JsonWebKeys.Parsed parsed) {
    for (String skipped : parsed.skipped()) {
      if (reportedSkips.add(skipped)) {
        log.warn("{}: ignoring a key it cannot use: {}", name, skipped);
      }
    }
    return parsed.keys();
  }

  /** The configuration this source was built with. */
  protected final JwtConfig config() {
    return config;
  }

  /** The clock this source was built with. */
  protected final Clock clock() {
    return clock;
  }

  private boolean fresh(Loaded current) {
    return !clock.instant().isAfter(current.at().plus(config.jwksMaxStale()));
  }

  private boolean takeRefetchSlot() {
    synchronized (rateLock) {
      Instant now = clock.instant();
      Duration interval = config.jwksMinRefetch();
      if (lastUnknownKidFetch != Instant.MIN && now.isBefore(lastUnknownKidFetch.plus(interval))) {
        return false;
      }
      lastUnknownKidFetch = now;
      return true;
    }
  }

  private void refreshInBackground() {
    // Failures are counted and logged in fetchShared; the schedule must survive them.
    fetchShared();
  }

  /** Schedules one early fetch (at most one pending), backing off while failures go on. */
  private void retrySoon() {
    if (!retryScheduled.compareAndSet(false, true)) {
      return;
    }
    long delay = retryMillis;
    retryMillis = Math.min(delay * 2, Math.min(MAX_RETRY_MILLIS, config.jwksRefresh().toMillis()));
    try {
      scheduler.schedule(
          () -> {
            retryScheduled.set(false);
            fetchShared();
          },
          delay,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      retryScheduled.set(false); // closed
    }
  }

  private CompletableFuture<KeySet> fetchShared() {
    CompletableFuture<KeySet> mine = new CompletableFuture<>();
    CompletableFuture<KeySet> existing = inFlight.compareAndExchange(null, mine);
    if (existing != null) {
      return existing;
    }
    CompletionStage<List<VerificationKey>> stage;
    try {
      stage = fetch();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete((keys, error) -> settle(mine, keys, error));
    return mine;
  }

  private void settle(CompletableFuture<KeySet> mine, List<VerificationKey> keys, Throwable error) {
    if (error != null || keys == null) {
      failures.incrementAndGet();
      log.warn(
          "{}: key fetch failed, keeping the last good key set (fetched {}): {}",
          name,
          lastSuccess(),
          error == null ? "no keys" : error.toString());
      inFlight.compareAndSet(mine, null);
      if (!isReady()) {
        retrySoon();
      }
      mine.completeExceptionally(error == null ? new IllegalStateException("no keys") : error);
      return;
    }
    retryMillis = FIRST_RETRY_MILLIS;
    KeySet fetched = KeySet.of(keys);
    loaded = new Loaded(fetched, clock.instant());
    successes.incrementAndGet();
    unknownKidMemory.invalidateAll();
    inFlight.compareAndSet(mine, null);
    mine.complete(fetched);
  }
}
