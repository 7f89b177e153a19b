/**
 * {@code better-authz doctor}: checks a deployment's Better Auth database before (and while)
 * better-authz reads it. {@link dev.betterauthz.doctor.Doctor} connects through the same read-only
 * session settings as the server and reports, as {@link dev.betterauthz.doctor.Check} values,
 * whether the tables and columns of the configured naming exist with the expected types, whether
 * the three indexes the seed ADR requires exist (recognised by their columns, not their names),
 * whether the database user could write, and whether sessions run read-only. Where something is
 * missing it prints the exact SQL for the owners of Better Auth's tables to run; better-authz
 * itself never runs it. Other components (Redis, NATS, JWKS) add their checks as suppliers.
 */
package dev.betterauthz.doctor;
