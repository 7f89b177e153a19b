package dev.betterauthz.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventRevocationLogTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void latestRevocationIsTheNewestOfPairUserAndOrganization() {
    EventRevocationLog log = new EventRevocationLog(Duration.ofHours(1), 100);
    assertThat(log.latestRevocation("u1", "o1")).isEmpty();
    log.recordMembership("u1", "o1", T0.plusSeconds(5));
    log.recordUser("u1", T0.plusSeconds(3));
    log.recordOrganization("o1", T0.plusSeconds(7));
    log.recordMembership("u1", "o1", T0.plusSeconds(1));
    assertThat(log.latestRevocation("u1", "o1")).contains(T0.plusSeconds(7));
    assertThat(log.latestRevocation("u1", "o2")).contains(T0.plusSeconds(3));
    assertThat(log.latestRevocation("u2", "o2")).isEmpty();
  }

  @Test
  void forgottenEntriesRaiseAFloorInsteadOfDisappearing() {
    EventRevocationLog log = new EventRevocationLog(Duration.ofHours(1), 1);
    for (int i = 0; i < 50; i++) {
      log.recordUser("u" + i, T0.plusSeconds(i));
    }
    for (int i = 0; i < 50; i++) {
      Instant ownRevocation = T0.plusSeconds(i);
      assertThat(log.latestRevocation("u" + i, "o"))
          .hasValueSatisfying(at -> assertThat(at).isAfterOrEqualTo(ownRevocation));
    }
    assertThat(log.latestRevocation("never-revoked", "o")).isPresent();
  }

  @Test
  void claimsAreUntrustedUntilEventsAreConfirmed() {
    EventRevocationLog log = new EventRevocationLog(Duration.ofHours(1), 100);
    assertThat(log.claimsTrusted()).isFalse();
    log.claimsTrusted(true);
    assertThat(log.claimsTrusted()).isTrue();
  }
}
