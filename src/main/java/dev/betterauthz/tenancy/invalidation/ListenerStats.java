package dev.betterauthz.tenancy.invalidation;

/**
 * Counters of the invalidation listener at one moment.
 *
 * @param applied events applied to the caches (or handed to handlers)
 * @param malformed payloads that could not be parsed or lacked the ids their subject needs
 * @param failed events whose application threw or failed (logged, never fatal)
 * @param ignored messages on subjects the listener does not know (JetStream streams only)
 * @param lastLagMillis for the last event: apply completion minus the publisher's timestamp, or
 *     minus the receive time when the event carried none
 * @param maxLagMillis the largest lag seen
 */
public record ListenerStats(
    long applied,
    long malformed,
    long failed,
    long ignored,
    long lastLagMillis,
    long maxLagMillis) {}
