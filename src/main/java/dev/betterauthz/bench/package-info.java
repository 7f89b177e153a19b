/**
 * The {@code bench} subcommand: a gRPC load generator for the Check API (closed loop for
 * throughput, open loop at a fixed rate for coordinated-omission-safe latency percentiles), the
 * no-op Check server that is the baseline of every run, the data set and tokens the scenarios need,
 * and the markdown report. It drives the server under test only through its external contract
 * (environment variables, ports, {@code /readyz}), as a child JVM.
 */
package dev.betterauthz.bench;
