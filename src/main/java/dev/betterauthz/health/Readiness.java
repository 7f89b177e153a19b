package dev.betterauthz.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Whether this replica should receive checks, and why not. Ready means every required condition
 * holds (JWKS loaded, PostgreSQL answering, policy loaded, warmed up) and the server is not
 * draining. Optional conditions (Redis, NATS) only degrade: they are reported but never make the
 * server unready, because decisions stay correct without them. Thread-safe.
 */
public final class Readiness {
  /** A named condition and whether the server can serve without it. */
  private record Condition(BooleanSupplier check, boolean required) {}

  private final Map<String, Condition> conditions = new ConcurrentHashMap<>();
  private volatile boolean warmedUp;
  private volatile boolean draining;

  /** Adds a condition that must hold for the server to be ready. */
  public Readiness require(String name, BooleanSupplier check) {
    conditions.put(name, new Condition(Objects.requireNonNull(check), true));
    return this;
  }

  /** Adds a condition whose loss is reported as {@code degraded} but keeps the server ready. */
  public Readiness degradeWithout(String name, BooleanSupplier check) {
    conditions.put(name, new Condition(Objects.requireNonNull(check), false));
    return this;
  }

  public void warmedUp() {
    warmedUp = true;
  }

  public void draining() {
    draining = true;
  }

  public boolean isDraining() {
    return draining;
  }

  public boolean ready() {
    if (draining || !warmedUp) {
      return false;
    }
    for (Condition c : conditions.values()) {
      if (c.required() && !holds(c)) {
        return false;
      }
    }
    return true;
  }

  /** Each condition as {@code ok}, {@code down} (required) or {@code degraded} (optional). */
  public Map<String, String> detail() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("status", ready() ? "ready" : "not_ready");
    out.put("warmed_up", warmedUp ? "ok" : "pending");
    if (draining) {
      out.put("draining", "true");
    }
    new java.util.TreeMap<>(conditions)
        .forEach((name, c) -> out.put(name, holds(c) ? "ok" : c.required() ? "down" : "degraded"));
    return out;
  }

  private static boolean holds(Condition c) {
    try {
      return c.check().getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
