package dev.betterauthz.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

class LogFormatFilterTest {
  @Test
  void textOnlyWhenAskedForAnyCase() {
    assertThat(LogFormatFilter.activeFormat(null, null)).isEqualTo("json");
    assertThat(LogFormatFilter.activeFormat(null, " Text ")).isEqualTo("text");
    assertThat(LogFormatFilter.activeFormat("json", "text")).isEqualTo("json");
    assertThat(LogFormatFilter.activeFormat("TEXT", null)).isEqualTo("text");
    assertThat(LogFormatFilter.activeFormat(null, "yaml")).isEqualTo("json");
  }

  @Test
  void exactlyOneOfTheTwoAppendersPasses() {
    FilterReply json = reply("json");
    FilterReply text = reply("text");

    assertThat(java.util.List.of(json, text))
        .containsExactlyInAnyOrder(FilterReply.NEUTRAL, FilterReply.DENY);
  }

  @Test
  void refusesToStartWithAnUnknownFormat() {
    LogFormatFilter filter = new LogFormatFilter();
    filter.setContext(new LoggerContext());
    filter.setFormat("xml");
    filter.start();

    assertThat(filter.isStarted()).isFalse();
  }

  private static FilterReply reply(String format) {
    LogFormatFilter filter = new LogFormatFilter();
    filter.setContext(new LoggerContext());
    filter.setFormat(format);
    filter.start();
    return filter.decide(null);
  }
}
