package dev.betterauthz.tenancy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory authoritative tier for unit tests. Loads read the rows at call time; in held mode
 * each load returns a pending stage the test completes with {@link #releaseNext()}, which forces
 * interleavings deterministically.
 */
final class FakeAccessRepository implements AccessRepository {
  private final Map<String, List<String>> memberRoles = new ConcurrentHashMap<>();
  private final Map<String, String> slugs = new ConcurrentHashMap<>();
  private final Deque<Runnable> held = new ArrayDeque<>();
  private final AtomicInteger loads = new AtomicInteger();
  private volatile boolean holding;
  private volatile boolean down;

  void member(String userId, String orgId, String... roles) {
    memberRoles.put(userId + "/" + orgId, List.of(roles));
  }

  void remove(String userId, String orgId) {
    memberRoles.remove(userId + "/" + orgId);
  }

  void slug(String slug, String orgId) {
    slugs.put(slug, orgId);
  }

  void holding(boolean value) {
    holding = value;
  }

  void down(boolean value) {
    down = value;
  }

  int loads() {
    return loads.get();
  }

  /** Completes the oldest held load with the rows as they were when it was called. */
  synchronized void releaseNext() {
    held.removeFirst().run();
  }

  @Override
  public synchronized CompletionStage<Access> load(String userId, Optional<String> orgId) {
    loads.incrementAndGet();
    if (down) {
      return CompletableFuture.failedFuture(new BackendUnavailableException("test: down"));
    }
    List<String> roles =
        orgId.map(o -> memberRoles.getOrDefault(userId + "/" + o, List.of())).orElse(List.of());
    Access access = new Access(true, List.of("user"), false, roles, Access.Tier.POSTGRES);
    if (!holding) {
      return CompletableFuture.completedFuture(access);
    }
    CompletableFuture<Access> pending = new CompletableFuture<>();
    held.addLast(() -> pending.complete(access));
    return pending;
  }

  @Override
  public CompletionStage<Optional<String>> organizationIdBySlug(String slug) {
    if (down) {
      return CompletableFuture.failedFuture(new BackendUnavailableException("test: down"));
    }
    return CompletableFuture.completedFuture(Optional.ofNullable(slugs.get(slug)));
  }
}
