/**
 * Observability: metric names and the Micrometer registry behind {@code /metrics} ({@link
 * dev.betterauthz.observability.MetricNames}, {@link dev.betterauthz.observability.Metrics}), the
 * decision observers that count and log every decision ({@link
 * dev.betterauthz.observability.MetricsObserver}, {@link
 * dev.betterauthz.observability.DecisionLog}), the {@link dev.betterauthz.observability.Redactor}
 * that keeps credentials out of logs, and the logback pieces that write JSON or text lines to
 * stdout. Nothing here does IO on the request path except handing a line to logback.
 */
package dev.betterauthz.observability;
