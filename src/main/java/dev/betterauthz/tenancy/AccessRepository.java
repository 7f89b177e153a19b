package dev.betterauthz.tenancy;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The authoritative tier: read-only queries over Better Auth's tables in PostgreSQL. Every call is
 * one prepared statement with a timeout. Stages complete exceptionally with {@link
 * BackendUnavailableException} when the database cannot answer. Thread-safe.
 */
public interface AccessRepository {

  /**
   * Loads the user's standing (platform roles, ban) and, when {@code orgId} is present, their
   * member roles in that organization, in one round trip. The result's tier is {@code POSTGRES}.
   */
  CompletionStage<Access> load(String userId, Optional<String> orgId);

  /** The id of the organization with this slug, or empty. */
  CompletionStage<Optional<String>> organizationIdBySlug(String slug);
}
