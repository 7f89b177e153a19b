package dev.betterauthz.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonLayoutTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final LoggerContext context = new LoggerContext();
  private final JsonLayout layout = new JsonLayout();

  private String layout(String logger, String message, Throwable error, Object... args) {
    Logger log = context.getLogger(logger);
    LoggingEvent event =
        new LoggingEvent(Logger.class.getName(), log, Level.WARN, message, error, args);
    return layout.doLayout(event);
  }

  @Test
  void writesOneCompactObjectPerLine() throws Exception {
    String line = layout("dev.betterauthz.x", "redis {} down: \"{}\"", null, "cache-1", "timeout");

    assertThat(line).endsWith(System.lineSeparator());
    assertThat(line.strip()).doesNotContain("\n");
    JsonNode json = MAPPER.readTree(line);
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("logger").asText()).isEqualTo("dev.betterauthz.x");
    assertThat(json.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
    assertThat(json.get("msg").asText()).isEqualTo("redis cache-1 down: \"timeout\"");
    assertThat(json.get("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(json.has("error")).isFalse();
  }

  @Test
  void nestsDecisionLinesAsAnObject() throws Exception {
    String decision = "{\"decision_id\":\"d1\",\"decision\":\"deny\"}";
    JsonNode json = MAPPER.readTree(layout(DecisionLog.LOGGER, decision, null));

    assertThat(json.has("msg")).isFalse();
    assertThat(json.get("decision").get("decision_id").asText()).isEqualTo("d1");
  }

  @Test
  void keepsOtherLoggersJsonLookingMessagesAsStrings() throws Exception {
    JsonNode json = MAPPER.readTree(layout("other", "{\"a\":1}", null));

    assertThat(json.get("msg").isTextual()).isTrue();
  }

  @Test
  void includesTheStackTraceRedacted() throws Exception {
    String jws = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl";
    String line =
        layout("dev.betterauthz.y", "failed for Bearer {}", new IllegalStateException(jws), jws);

    assertThat(line).doesNotContain(jws);
    JsonNode json = MAPPER.readTree(line);
    assertThat(json.get("msg").asText()).isEqualTo("failed for Bearer [REDACTED]");
    assertThat(json.get("error").asText())
        .contains("java.lang.IllegalStateException: [REDACTED]")
        .contains("at dev.betterauthz.observability.JsonLayoutTest");
  }
}
