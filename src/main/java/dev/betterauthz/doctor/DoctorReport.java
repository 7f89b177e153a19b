package dev.betterauthz.doctor;

import java.util.List;
import java.util.Locale;

/**
 * Every check of one {@code doctor} run, in the order they ran. Immutable.
 *
 * @param checks the outcomes
 */
public record DoctorReport(List<Check> checks) {

  public DoctorReport {
    checks = List.copyOf(checks);
  }

  /** The worst status of all checks ({@code OK} for an empty report). */
  public Check.Status status() {
    return checks.stream().map(Check::status).max(Enum::compareTo).orElse(Check.Status.OK);
  }

  /** The process exit code: 0 when nothing failed (warnings allowed), 1 otherwise. */
  public int exitCode() {
    return status() == Check.Status.FAIL ? 1 : 0;
  }

  /** A readable text report, fix SQL included, ending with a summary line. */
  public String render() {
    StringBuilder out = new StringBuilder("better-authz doctor\n\n");
    for (Check check : checks) {
      out.append(
          String.format(
              Locale.ROOT, "[%-4s] %s: %s%n", check.status(), check.name(), check.detail()));
      check
          .fixSql()
          .ifPresent(
              sql -> {
                out.append("       fix (run as the owner of Better Auth's tables):\n");
                sql.lines().forEach(line -> out.append("         ").append(line).append('\n'));
              });
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nsummary: %d ok, %d warning(s), %d failure(s)%n",
            count(Check.Status.OK),
            count(Check.Status.WARN),
            count(Check.Status.FAIL)));
    return out.toString();
  }

  private long count(Check.Status status) {
    return checks.stream().filter(c -> c.status() == status).count();
  }
}
