package dev.betterauthz.doctor;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one doctor check.
 *
 * @param name short, stable name (e.g. {@code index idx_users_role})
 * @param status how bad it is
 * @param detail one or more sentences a person can act on
 * @param fixSql SQL for the database owners to run, when SQL fixes it; printed, never executed
 */
public record Check(String name, Status status, String detail, Optional<String> fixSql) {

  /** Severity; only {@link #FAIL} makes {@code doctor} exit non-zero. */
  public enum Status {
    OK,
    WARN,
    FAIL
  }

  public Check {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(fixSql, "fixSql");
  }

  public static Check ok(String name, String detail) {
    return new Check(name, Status.OK, detail, Optional.empty());
  }

  public static Check warn(String name, String detail) {
    return new Check(name, Status.WARN, detail, Optional.empty());
  }

  public static Check fail(String name, String detail) {
    return new Check(name, Status.FAIL, detail, Optional.empty());
  }

  /** The same check with fix SQL attached. */
  public Check withFix(String sql) {
    return new Check(name, status, detail, Optional.of(sql));
  }
}
