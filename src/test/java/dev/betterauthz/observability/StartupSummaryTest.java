package dev.betterauthz.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupSummaryTest {
  @Test
  void listsSettingsInOrderWithSecretsMasked() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("grpc", "0.0.0.0:9191");
    settings.put("database", "postgresql://authz:leaked-pass@db:5432/app");

    assertThat(StartupSummary.line("0.1.0", Duration.ofMillis(412), settings))
        .isEqualTo(
            "better-authz 0.1.0 ready in 412 ms: grpc=0.0.0.0:9191,"
                + " database=postgresql://authz:[REDACTED]@db:5432/app");
  }
}
