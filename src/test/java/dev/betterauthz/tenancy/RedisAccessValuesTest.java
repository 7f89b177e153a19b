package dev.betterauthz.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisAccessValuesTest {
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00.123Z");

  @Test
  void roundTripsRoleNamesAndWriteTime() {
    Access access =
        new Access(
            true, List.of("admin", "user"), true, List.of("owner", "staff"), Access.Tier.POSTGRES);
    String value = RedisAccessValues.encode(access, AT);
    assertThat(value)
        .isEqualTo(
            "{\"v\":1,\"at\":1767225600123,\"user\":true,\"platform\":[\"admin\",\"user\"],"
                + "\"banned\":true,\"member\":[\"owner\",\"staff\"]}");
    RedisAccessValues.Stored stored = RedisAccessValues.decode(value).orElseThrow();
    assertThat(stored.storedAt()).isEqualTo(AT);
    assertThat(stored.access()).isEqualTo(access.withTier(Access.Tier.REDIS));
  }

  @Test
  void tombstonesAndUnreadableValuesAreMisses() {
    assertThat(RedisAccessValues.decode(RedisAccessValues.TOMBSTONE)).isEmpty();
    assertThat(RedisAccessValues.decode("admin")).isEmpty();
    assertThat(RedisAccessValues.decode("{\"v\":2,\"at\":1}")).isEmpty();
    assertThat(RedisAccessValues.decode("{\"v\":1}")).isEmpty();
  }

  @Test
  void escapesGlobCharactersForScanMatch() {
    assertThat(RedisAccessCache.escape("a*b?c[d]e\\f")).isEqualTo("a\\*b\\?c\\[d\\]e\\\\f");
  }
}
