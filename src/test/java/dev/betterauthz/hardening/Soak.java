package dev.betterauthz.hardening;

import static dev.betterauthz.testsupport.ServerHarness.status;

import ch.qos.logback.classic.Level;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * A bounded soak (loopback only): mixed Check traffic from a few threads against the real server,
 * random role changes, removals and bans written to PostgreSQL with their NATS events, and faults
 * injected in front of PostgreSQL, Redis, NATS and the JWKS. Every answer is compared with the
 * database state: it is wrong when it disagrees with every state that held from {@link #WINDOW}
 * before the request to its answer (the propagation window: event delivery, and the degraded TTL
 * while NATS is cut). 503 counts as unavailable, not wrong. Prints {@code wrong decisions: N} with
 * the counts and exits 1 when N > 0. Run by {@code scripts/soak.sh [minutes] [threads]}.
 */
public final class Soak {
  static final Duration WINDOW = Duration.ofSeconds(5);
  private static final String[] ROLES = {null, "viewer", "staff"};

  /** One user's database state from {@code since} (nanoTime) on. */
  record State(long since, String role, boolean banned) {
    boolean permits(boolean strong) {
      return !banned && (strong ? "staff".equals(role) : role != null);
    }
  }

  private final ProxiedServer s;
  private final String org;
  private final List<String> users = new ArrayList<>();
  private final Map<String, List<State>> history = new ConcurrentHashMap<>();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong allows = new AtomicLong();
  private final AtomicLong denies = new AtomicLong();
  private final AtomicLong unavailable = new AtomicLong();
  private final AtomicLong noAnswer = new AtomicLong();
  private final AtomicLong wrong = new AtomicLong();
  private final AtomicLong changes = new AtomicLong();
  private final List<String> wrongSamples = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;

  private Soak() throws Exception {
    s =
        new ProxiedServer(
            "soak",
            FaultInjectionIT.POLICY,
            Map.of("AUTHZ_DEGRADED_CACHE_TTL", "2s", "AUTHZ_NEGATIVE_CACHE_TTL", "1s"));
    org = s.rows.organization("soak");
    Random random = new Random(7);
    for (int i = 0; i < 40; i++) {
      String user = s.rows.user("user");
      String role = ROLES[random.nextInt(ROLES.length)];
      if (role != null) {
        s.rows.member(org, user, role);
      }
      users.add(user);
      history.put(user, new CopyOnWriteArrayList<>(List.of(new State(0, role, false))));
      tokens.put(user, s.issuer.mint(user, Map.of()));
    }
  }

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    for (String name : new String[] {"ROOT", "dev.betterauthz", "io.vertx", "io.nats"}) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name)).setLevel(Level.ERROR);
    }
    Soak soak = new Soak();
    int code;
    try {
      code = soak.run(Duration.ofMinutes(minutes), threads);
    } finally {
      soak.s.close();
    }
    System.exit(code);
  }

  private int run(Duration length, int threads) throws Exception {
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      long seed = i;
      workers.add(start("soak-traffic-" + i, () -> traffic(new Random(seed))));
    }
    workers.add(start("soak-changes", () -> changes(new Random(99))));
    workers.add(start("soak-faults", () -> faults(new Random(5))));
    long end = System.nanoTime() + length.toNanos();
    while (System.nanoTime() < end) {
      TimeUnit.SECONDS.sleep(1); // NOTE: the soak's clock, not synchronisation
    }
    running = false;
    for (Thread t : workers) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    long faults = s.proxies().stream().mapToLong(FaultProxy::faultsInjected).sum();
    System.out.printf(
        "soak: %d s, %d threads, %d users%n"
            + "requests: %d, allows: %d, denies: %d, 503s: %d, no answer before the deadline: %d%n"
            + "faults injected: %d (pg %d, redis %d, nats %d, jwks %d), database changes: %d%n"
            + "wrong decisions: %d%n",
        length.toSeconds(),
        threads,
        users.size(),
        requests.get(),
        allows.get(),
        denies.get(),
        unavailable.get(),
        noAnswer.get(),
        faults,
        s.pg.faultsInjected(),
        s.redis.faultsInjected(),
        s.nats.faultsInjected(),
        s.jwks.faultsInjected(),
        changes.get(),
        wrong.get());
    wrongSamples.forEach(w -> System.out.println("  wrong: " + w));
    return wrong.get() == 0 ? 0 : 1;
  }

  private static Thread start(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void traffic(Random random) {
    while (running) {
      String user = users.get(random.nextInt(users.size()));
      boolean strong = random.nextInt(4) == 0;
      long start = System.nanoTime();
      CheckResponse r;
      try {
        r =
            s.calls.check(
                EnvoyCalls.request(
                    strong ? "PATCH" : "GET",
                    "/api/orgs/" + org + (strong ? "/settings" : "/leave"),
                    Map.of("authorization", "Bearer " + tokens.get(user))),
                EnvoyCalls.ENVOY_DEADLINE_MILLIS);
      } catch (StatusRuntimeException e) {
        requests.incrementAndGet();
        noAnswer.incrementAndGet();
        continue;
      }
      requests.incrementAndGet();
      judge(user, strong, status(r), start, System.nanoTime());
    }
  }

  private void judge(String user, boolean strong, int status, long start, long end) {
    if (status == 503) {
      unavailable.incrementAndGet();
      return;
    }
    (status == 200 ? allows : denies).incrementAndGet();
    boolean couldAllow = false;
    boolean couldDeny = false;
    List<State> states = history.get(user);
    long from = start - WINDOW.toNanos();
    for (int i = 0; i < states.size(); i++) {
      State st = states.get(i);
      long until = i + 1 < states.size() ? states.get(i + 1).since() : Long.MAX_VALUE;
      if (st.since() <= end && until >= from) {
        couldAllow |= st.permits(strong);
        couldDeny |= !st.permits(strong);
      }
    }
    boolean ok = status == 200 ? couldAllow : status == 403 && couldDeny;
    if (!ok) {
      wrong.incrementAndGet();
      if (wrongSamples.size() < 20) {
        wrongSamples.add(user + (strong ? " strong " : " cached ") + status + " states " + states);
      }
    }
  }

  private void changes(Random random) {
    while (running) {
      try {
        String user = users.get(random.nextInt(users.size()));
        List<State> states = history.get(user);
        State now = states.get(states.size() - 1);
        long since = System.nanoTime();
        if (random.nextInt(5) == 0) {
          boolean ban = !now.banned();
          states.add(new State(since, now.role(), ban));
          if (ban) {
            s.rows.banUser(user, java.util.Optional.empty());
          } else {
            s.rows.unbanUser(user);
          }
          s.events.publish("user.banned", user, null);
        } else {
          String role = ROLES[random.nextInt(ROLES.length)];
          states.add(new State(since, role, now.banned()));
          if (role == null) {
            s.rows.removeMember(org, user);
            s.events.publish("member.removed", user, org);
          } else if (now.role() == null) {
            s.rows.member(org, user, role);
            s.events.publish("member.added", user, org);
          } else {
            s.rows.setMemberRole(org, user, role);
            s.events.publish("member.role.changed", user, org);
          }
        }
        changes.incrementAndGet();
        TimeUnit.MILLISECONDS.sleep(100 + random.nextInt(200)); // NOTE: pacing the load
      } catch (Exception e) {
        System.err.println("soak: a database change failed: " + e.getMessage());
      }
    }
  }

  private void faults(Random random) {
    while (running) {
      try {
        TimeUnit.MILLISECONDS.sleep(2000 + random.nextInt(3000)); // NOTE: time between faults
        FaultProxy target = s.proxies().get(random.nextInt(4));
        switch (random.nextInt(4)) {
          case 0 -> target.cut();
          case 1 -> target.reset();
          case 2 -> target.blackhole();
          default -> target.latency(50 + random.nextInt(300));
        }
        TimeUnit.MILLISECONDS.sleep(500 + random.nextInt(2500)); // NOTE: the fault's length
        target.heal();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
