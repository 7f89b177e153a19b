package dev.betterauthz.app;

import dev.betterauthz.config.AppConfig;
import dev.betterauthz.pipeline.AccessRequest;
import dev.betterauthz.pipeline.ClaimsTier;
import dev.betterauthz.pipeline.DecisionObserver;
import dev.betterauthz.pipeline.PipelineAuthorizer;
import dev.betterauthz.pipeline.PipelineParts;
import dev.betterauthz.policy.Policy;
import dev.betterauthz.policy.PolicyLoader;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Decides one request with the same pipeline, keys and data as the server, and returns the trace of
 * each step ({@code explain}). Opens no listener and subscribes to no events.
 */
public final class Explainer {
  private Explainer() {}

  public static PipelineAuthorizer.Explained explain(AppConfig config, AccessRequest request)
      throws Exception {
    Policy policy = PolicyLoader.load(config.policy().file());
    Clock clock = Clock.systemUTC();
    try (Backends backends = new Backends(config);
        Credentials credentials = new Credentials(config, backends, clock);
        Tenancy tenancy = new Tenancy(config, backends, clock)) {
      credentials
          .keys
          .start()
          .toCompletableFuture()
          .handle((ok, e) -> null)
          .get(config.jwt().jwksFetchTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
      PipelineParts parts =
          new PipelineParts(
              () -> policy,
              credentials.authenticator,
              tenancy.resolver,
              new ClaimsTier(
                  tenancy.revocations, config.jwt().orgClaim(), config.jwt().orgRoleClaim()),
              tenancy.orgRoles);
      return new PipelineAuthorizer(parts, DecisionObserver.NONE)
          .explain(request)
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    }
  }
}
