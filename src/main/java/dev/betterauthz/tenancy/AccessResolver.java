package dev.betterauthz.tenancy;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Resolves what a user may be in an organization, cheapest tier first. The returned stage completes
 * exceptionally with {@link BackendUnavailableException} only when no tier can give a trustworthy
 * answer (the pipeline maps that to a 503). Thread-safe.
 */
public interface AccessResolver {

  /**
   * @param userId the verified subject
   * @param orgId the organization id, or empty for routes without a tenant (standing only)
   * @param consistency {@link Consistency#CACHED} or {@link Consistency#STRONG}; the claims tier is
   *     handled by the pipeline before this is called
   */
  CompletionStage<Access> resolve(String userId, Optional<String> orgId, Consistency consistency);

  /** Resolves an organization slug to its id; empty when no such organization exists. */
  CompletionStage<Optional<String>> organizationIdBySlug(String slug);
}
