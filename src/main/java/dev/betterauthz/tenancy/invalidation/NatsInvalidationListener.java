package dev.betterauthz.tenancy.invalidation;

import dev.betterauthz.config.AppConfig.NatsConfig;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener.Events;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to the invalidation subjects (plain subscriptions, so every replica gets every event;
 * or a per-replica JetStream durable consumer when {@code AUTHZ_NATS_STREAM} is set) and drives an
 * {@link InvalidationTarget}. Connection changes are handled in order on one worker thread: a
 * disconnect interrupts the target at once; the target is restored only after the subscriptions are
 * confirmed by a server round trip. A malformed event is logged and counted, never fatal.
 * Thread-safe; {@link #start()} once, {@link #close()} once.
 */
public final class NatsInvalidationListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NatsInvalidationListener.class);
  static final Duration ROUND_TRIP = Duration.ofSeconds(5);

  private final NatsConfig config;
  private final InvalidationTarget target;
  private final Clock clock;
  private final String durableName;
  private final ExecutorService worker;
  private final Map<EventKind, List<Consumer<InvalidationEvent>>> handlers =
      new EnumMap<>(EventKind.class);
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong ignored = new AtomicLong();
  private final AtomicLong lastLag = new AtomicLong();
  private final AtomicLong maxLag = new AtomicLong();
  private volatile Connection connection;
  private volatile boolean ready;
  private volatile boolean closed;

  /** A listener whose JetStream durable (if any) is named after this host. */
  public NatsInvalidationListener(NatsConfig config, InvalidationTarget target, Clock clock) {
    this(config, target, clock, JetStreamConsumers.defaultDurableName());
  }

  /**
   * @param durableName the JetStream durable consumer of this replica (unused without a stream);
   *     stable across restarts so events published while it was down are replayed at start
   */
  public NatsInvalidationListener(
      NatsConfig config, InvalidationTarget target, Clock clock, String durableName) {
    this.config = Objects.requireNonNull(config, "config");
    this.target = Objects.requireNonNull(target, "target");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.durableName = Objects.requireNonNull(durableName, "durableName");
    for (EventKind kind : EventKind.values()) {
      handlers.put(kind, new CopyOnWriteArrayList<>());
    }
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "authz-nats-invalidation");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Registers a handler run after the caches applied an event of {@code kind} (for {@code
   * organization.role.changed} and {@code session.revoked} it is the only action). Handlers run on
   * the NATS dispatcher thread and must not block.
   */
  public void addHandler(EventKind kind, Consumer<InvalidationEvent> handler) {
    handlers.get(kind).add(Objects.requireNonNull(handler, "handler"));
  }

  /**
   * Starts connecting in the background and returns at once. Until the subscriptions are confirmed
   * the target stays interrupted (short TTLs, claims untrusted); a server that is down is retried
   * forever.
   */
  public void start() throws InterruptedException {
    String url = config.url().orElseThrow(() -> new IllegalStateException("NATS is disabled"));
    target.eventsInterrupted();
    Options options =
        new Options.Builder()
            .server(url)
            .connectionName("better-authz")
            .maxReconnects(-1)
            .reconnectWait(Duration.ofMillis(250))
            .connectionTimeout(Duration.ofSeconds(2))
            .connectionListener((conn, type) -> onConnectionEvent(conn, type))
            .build();
    Nats.connectAsynchronously(options, true);
  }

  /** True while connected with confirmed subscriptions and a restored target. */
  public boolean isConnected() {
    Connection conn = connection;
    return ready && conn != null && conn.getStatus() == Connection.Status.CONNECTED;
  }

  public ListenerStats stats() {
    return new ListenerStats(
        applied.get(), malformed.get(), failed.get(), ignored.get(), lastLag.get(), maxLag.get());
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    Connection conn = connection;
    if (conn != null) {
      conn.close();
    }
    worker.shutdown();
    worker.awaitTermination(ROUND_TRIP.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void onConnectionEvent(Connection conn, Events type) {
    switch (type) {
      case CONNECTED -> onWorker(() -> subscribe(conn));
      case RESUBSCRIBED -> onWorker(() -> confirm(conn));
      case DISCONNECTED, CLOSED -> onWorker(this::interrupt);
      default -> log.debug("nats connection event {}", type);
    }
  }

  private void onWorker(Runnable task) {
    try {
      worker.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("listener closed; connection event dropped");
    }
  }

  private void subscribe(Connection conn) {
    connection = conn;
    if (closed) {
      closeQuietly(conn);
      return;
    }
    try {
      Dispatcher dispatcher = conn.createDispatcher(this::onMessage);
      if (config.jetStreamStream().isPresent()) {
        JetStreamConsumers.subscribe(
            conn, dispatcher, config, durableName, this::onMessage, clock.instant());
      } else {
        for (EventKind kind : EventKind.values()) {
          dispatcher.subscribe(config.subjectPrefix() + kind.subject());
        }
      }
      confirm(conn);
    } catch (Exception e) {
      log.error("cannot subscribe to invalidation events; caches stay on short TTLs", e);
    }
  }

  private void confirm(Connection conn) {
    try {
      conn.flush(ROUND_TRIP);
      target
          .eventsRestored(config.jetStreamStream().isPresent())
          .toCompletableFuture()
          .get(ROUND_TRIP.toMillis(), TimeUnit.MILLISECONDS);
      ready = true;
      log.info("invalidation events flowing (subjects prefix '{}')", config.subjectPrefix());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("invalidation subscriptions not confirmed yet: {}", e.toString());
    }
  }

  private static void closeQuietly(Connection conn) {
    try {
      conn.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void interrupt() {
    if (ready) {
      log.warn("invalidation events interrupted; caches on short TTLs, claims untrusted");
    }
    ready = false;
    target.eventsInterrupted();
  }

  private void onMessage(Message msg) {
    Instant received = clock.instant();
    String subject = msg.getSubject();
    String prefix = config.subjectPrefix();
    Optional<EventKind> kind =
        subject.startsWith(prefix)
            ? EventKind.fromSubject(subject.substring(prefix.length()))
            : Optional.empty();
    if (kind.isEmpty()) {
      ignored.incrementAndGet();
      JetStreamConsumers.ack(msg);
      return;
    }
    if (msg.isJetStream()) {
      received = msg.metaData().timestamp().toInstant();
    }
    Optional<InvalidationEvent> event =
        InvalidationEvents.parse(kind.get(), msg.getData(), received);
    if (event.isEmpty()) {
      malformed.incrementAndGet();
      log.warn(
          "malformed invalidation event on {} ({} bytes) ignored", subject, msg.getData().length);
      JetStreamConsumers.ack(msg);
      return;
    }
    dispatch(event.get()).whenComplete((ok, error) -> JetStreamConsumers.ack(msg));
  }

  private CompletionStage<Void> dispatch(InvalidationEvent event) {
    CompletionStage<Void> done;
    try {
      done = target.apply(event);
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    return done.whenComplete(
        (ok, error) -> {
          if (error != null) {
            failed.incrementAndGet();
            log.warn("invalidation event {} failed: {}", event.kind().subject(), error.toString());
          } else {
            applied.incrementAndGet();
          }
          recordLag(event);
          runHandlers(event);
        });
  }

  private void runHandlers(InvalidationEvent event) {
    for (Consumer<InvalidationEvent> handler : handlers.get(event.kind())) {
      try {
        handler.accept(event);
      } catch (RuntimeException e) {
        failed.incrementAndGet();
        log.warn("handler for {} failed: {}", event.kind().subject(), e.toString());
      }
    }
  }

  private void recordLag(InvalidationEvent event) {
    Instant from = event.occurredAt().orElse(event.receivedAt());
    long lag = Math.max(0, Duration.between(from, clock.instant()).toMillis());
    lastLag.set(lag);
    maxLag.accumulateAndGet(lag, Math::max);
  }
}
