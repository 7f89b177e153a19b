package dev.betterauthz.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DynamicRoles} read from Better Auth's {@code organization_roles} table: one prepared
 * {@code SELECT} per call. The {@code permission} column holds JSON text such as {@code
 * {"leave":["read","approve"]}}, which becomes {@code leave:read}, {@code leave:approve}. Rows with
 * malformed JSON are skipped and logged at WARN once per row; several rows for one role are merged
 * (Better Auth has no unique constraint on (organization, role)). Thread-safe.
 */
public final class PgDynamicRoleRepository implements DynamicRoles {
  private static final Logger log = LoggerFactory.getLogger(PgDynamicRoleRepository.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REMEMBERED_WARNINGS = 10_000;

  private final SqlClient client;
  private final PgQueries queries;
  private final Duration queryTimeout;
  private final Set<String> warnedRows = ConcurrentHashMap.newKeySet();

  /**
   * @param client a client from {@link PgPools}
   * @param mapping the deployment's table and column names
   * @param queryTimeout deadline of each call
   */
  public PgDynamicRoleRepository(SqlClient client, SchemaMapping mapping, Duration queryTimeout) {
    this.client = Objects.requireNonNull(client, "client");
    this.queries = PgQueries.of(Objects.requireNonNull(mapping, "mapping"));
    this.queryTimeout = Objects.requireNonNull(queryTimeout, "queryTimeout");
  }

  @Override
  public CompletionStage<Map<String, List<String>>> rolesOf(String orgId) {
    Objects.requireNonNull(orgId, "orgId");
    return PgFutures.bounded(
        client
            .preparedQuery(queries.organizationRoles())
            .execute(Tuple.of(orgId))
            .map(this::toRoles),
        queryTimeout,
        "rolesOf");
  }

  private Map<String, List<String>> toRoles(RowSet<Row> rows) {
    Map<String, Set<String>> grants = new LinkedHashMap<>();
    for (Row row : rows) {
      String role = row.getString("role");
      Optional<List<String>> parsed = parsePermissions(row.getString("permission"));
      if (role == null || parsed.isEmpty()) {
        warnOnce(row.getString("id"), role);
        continue;
      }
      grants.computeIfAbsent(role, r -> new LinkedHashSet<>()).addAll(parsed.get());
    }
    Map<String, List<String>> result = new LinkedHashMap<>();
    grants.forEach((role, set) -> result.put(role, List.copyOf(set)));
    return Map.copyOf(result);
  }

  /**
   * Parses Better Auth's permission JSON ({@code {"resource": ["action", ...]}}) into {@code
   * resource:action} strings; empty when it is not exactly that shape.
   */
  static Optional<List<String>> parsePermissions(String json) {
    if (json == null) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (Exception e) {
      return Optional.empty();
    }
    if (root == null || !root.isObject()) {
      return Optional.empty();
    }
    List<String> grants = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      if (!entry.getValue().isArray()) {
        return Optional.empty();
      }
      for (JsonNode action : entry.getValue()) {
        if (!action.isTextual()) {
          return Optional.empty();
        }
        grants.add(entry.getKey() + ":" + action.asText());
      }
    }
    return Optional.of(grants);
  }

  private void warnOnce(String rowId, String role) {
    String key = String.valueOf(rowId);
    if (warnedRows.size() < MAX_REMEMBERED_WARNINGS && warnedRows.add(key)) {
      log.warn(
          "skipping organization role row with malformed permission JSON: row_id={} role={}",
          rowId,
          role);
    }
  }
}
