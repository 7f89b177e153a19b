/**
 * NATS invalidation: {@link dev.betterauthz.tenancy.invalidation.NatsInvalidationListener}
 * subscribes to Better Auth's membership, user and organization events (plain subscriptions so
 * every replica sees every event, or a per-replica JetStream durable consumer), parses them into
 * {@link dev.betterauthz.tenancy.invalidation.InvalidationEvent}s and drives an {@link
 * dev.betterauthz.tenancy.invalidation.InvalidationTarget} (the caches and the revocation log). It
 * depends on nothing else in better-authz.
 */
package dev.betterauthz.tenancy.invalidation;
