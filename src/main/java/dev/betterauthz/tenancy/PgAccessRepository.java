package dev.betterauthz.tenancy;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * {@link AccessRepository} over Better Auth's tables: one prepared {@code SELECT} per call, with
 * the ban rule ({@code banned IS TRUE AND (ban_expires IS NULL OR ban_expires > now())}) evaluated
 * by PostgreSQL and the member roles of all matching {@code members} rows aggregated in the same
 * round trip (Better Auth has no unique constraint on (organization, user)). Non-blocking: stages
 * complete on the Vert.x event loop. Thread-safe.
 */
public final class PgAccessRepository implements AccessRepository {
  private static final List<String> DEFAULT_PLATFORM_ROLES = List.of("user");

  private final SqlClient client;
  private final PgQueries queries;
  private final Duration queryTimeout;

  /**
   * @param client a client from {@link PgPools} (read-only session settings)
   * @param mapping the deployment's table and column names
   * @param queryTimeout deadline of each call, pool wait included
   */
  public PgAccessRepository(SqlClient client, SchemaMapping mapping, Duration queryTimeout) {
    this.client = Objects.requireNonNull(client, "client");
    this.queries = PgQueries.of(Objects.requireNonNull(mapping, "mapping"));
    this.queryTimeout = Objects.requireNonNull(queryTimeout, "queryTimeout");
  }

  @Override
  public CompletionStage<Access> load(String userId, Optional<String> orgId) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(orgId, "orgId");
    Future<RowSet<Row>> rows =
        orgId.isPresent()
            ? client
                .preparedQuery(queries.standingAndMembership())
                .execute(Tuple.of(userId, orgId.get()))
            : client.preparedQuery(queries.standing()).execute(Tuple.of(userId));
    return PgFutures.bounded(rows.map(r -> toAccess(r, orgId.isPresent())), queryTimeout, "load");
  }

  @Override
  public CompletionStage<Optional<String>> organizationIdBySlug(String slug) {
    Objects.requireNonNull(slug, "slug");
    Future<Optional<String>> id =
        client
            .preparedQuery(queries.organizationBySlug())
            .execute(Tuple.of(slug))
            .map(
                rows -> {
                  var it = rows.iterator();
                  return it.hasNext() ? Optional.of(it.next().getString("id")) : Optional.empty();
                });
    return PgFutures.bounded(id, queryTimeout, "organizationIdBySlug");
  }

  private static Access toAccess(RowSet<Row> rows, boolean withMembership) {
    var it = rows.iterator();
    if (!it.hasNext()) {
      return new Access(false, List.of(), false, List.of(), Access.Tier.POSTGRES);
    }
    Row row = it.next();
    String role = row.getString("role");
    List<String> platformRoles =
        role == null || role.isBlank() ? DEFAULT_PLATFORM_ROLES : splitRoles(role);
    List<String> memberRoles =
        withMembership ? splitRoles(row.getString("member_roles")) : List.of();
    return new Access(
        true,
        platformRoles,
        Boolean.TRUE.equals(row.getBoolean("banned")),
        memberRoles,
        Access.Tier.POSTGRES);
  }

  /**
   * Splits Better Auth's comma-separated role string: parts trimmed, empty parts dropped,
   * duplicates removed (first occurrence kept). {@code null} gives an empty list.
   */
  public static List<String> splitRoles(String commaSeparated) {
    if (commaSeparated == null) {
      return List.of();
    }
    Set<String> roles = new LinkedHashSet<>();
    for (String part : commaSeparated.split(",")) {
      String role = part.trim();
      if (!role.isEmpty()) {
        roles.add(role);
      }
    }
    return List.copyOf(new ArrayList<>(roles));
  }
}
