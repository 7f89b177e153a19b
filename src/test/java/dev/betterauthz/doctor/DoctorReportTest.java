package dev.betterauthz.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DoctorReportTest {

  @Test
  void exitsZeroWithWarningsAndOneWithAFailure() {
    DoctorReport fine = new DoctorReport(List.of(Check.ok("a", "x"), Check.warn("b", "y")));
    DoctorReport broken = new DoctorReport(List.of(Check.ok("a", "x"), Check.fail("c", "z")));

    assertThat(fine.exitCode()).isZero();
    assertThat(fine.status()).isEqualTo(Check.Status.WARN);
    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(new DoctorReport(List.of()).exitCode()).isZero();
  }

  @Test
  void rendersEachCheckWithItsFixSql() {
    DoctorReport report =
        new DoctorReport(
            List.of(
                Check.ok("connectivity", "PostgreSQL 15"),
                Check.fail("index idx_users_role", "missing")
                    .withFix("CREATE INDEX CONCURRENTLY idx_users_role ON \"users\" (\"role\");")));

    assertThat(report.render())
        .contains("[OK  ] connectivity: PostgreSQL 15")
        .contains("[FAIL] index idx_users_role: missing")
        .contains("         CREATE INDEX CONCURRENTLY idx_users_role ON \"users\" (\"role\");")
        .contains("summary: 1 ok, 0 warning(s), 1 failure(s)");
  }
}
