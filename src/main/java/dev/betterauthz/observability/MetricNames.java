package dev.betterauthz.observability;

/**
 * Every metric name, in one place. The constants are Micrometer meter names; the Prometheus
 * registry turns dots into underscores and appends the unit or {@code _total}, so the exposed name
 * is given in each comment (and in {@code docs/operations.md}). Labels are low-cardinality: route
 * names (bounded by the policy), reasons, tiers, outcomes; never user, organization or path.
 */
public final class MetricNames {
  private MetricNames() {}

  /** {@code authz_checks_total{decision,reason,route}}: decisions; reason {@code none} on allow. */
  public static final String CHECKS = "authz.checks";

  /** {@code authz_check_duration_seconds}: whole-check latency histogram (SLO buckets). */
  public static final String CHECK_DURATION = "authz.check.duration";

  /** {@code authz_stage_duration_seconds{stage=token|access}}: per-stage latency histogram. */
  public static final String STAGE_DURATION = "authz.stage.duration";

  /** {@code authz_role_lookups_total{tier,outcome}}: role-tier hits, misses and errors. */
  public static final String ROLE_LOOKUPS = "authz.role.lookups";

  /** {@code authz_jwks_refresh_total{outcome=success|failure}}. */
  public static final String JWKS_REFRESH = "authz.jwks.refresh";

  /** {@code authz_jwks_age_seconds}: time since the key set was last loaded. */
  public static final String JWKS_AGE = "authz.jwks.age";

  /** {@code authz_jwt_unknown_kid_total}: tokens naming a key id the JWKS did not have. */
  public static final String JWT_UNKNOWN_KID = "authz.jwt.unknown.kid";

  /** {@code authz_invalidation_events_total{subject,outcome}}: NATS events. */
  public static final String INVALIDATION_EVENTS = "authz.invalidation.events";

  /** {@code authz_invalidation_lag_seconds}: event publish time to cache eviction, histogram. */
  public static final String INVALIDATION_LAG = "authz.invalidation.lag";

  /** {@code authz_backend_errors_total{backend=postgres|redis|nats|jwks}}. */
  public static final String BACKEND_ERRORS = "authz.backend.errors";

  /** {@code authz_db_pool_in_use}: PostgreSQL connections currently lent out. */
  public static final String DB_POOL_IN_USE = "authz.db.pool.in.use";

  /** {@code authz_policy_reloads_total{outcome=success|failure}}. */
  public static final String POLICY_RELOADS = "authz.policy.reloads";

  /** {@code authz_shadow_denies_total{route,reason}}: denies a shadow-mode route let through. */
  public static final String SHADOW_DENIES = "authz.shadow.denies";

  /** {@code authz_inflight_checks}: checks started and not yet answered. */
  public static final String INFLIGHT_CHECKS = "authz.inflight.checks";

  /** Label names. */
  public static final String DECISION = "decision";

  public static final String REASON = "reason";
  public static final String ROUTE = "route";
  public static final String STAGE = "stage";
  public static final String TIER = "tier";
  public static final String OUTCOME = "outcome";
  public static final String SUBJECT = "subject";
  public static final String BACKEND = "backend";

  /** The label value used when a decision matched no route or an allow has no reason. */
  public static final String NONE = "none";
}
