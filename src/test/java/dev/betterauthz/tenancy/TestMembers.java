package dev.betterauthz.tenancy;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;

/** Writes Better Auth rows for ITs, as the Better Auth service would (test superuser). */
final class TestMembers implements AutoCloseable {
  private final Pool pool;

  TestMembers(Vertx vertx, String url) {
    this.pool =
        PgBuilder.pool()
            .connectingTo(PgConnectOptions.fromUri(url))
            .with(new PoolOptions().setMaxSize(2))
            .using(vertx)
            .build();
  }

  void user(String id, String platformRole) {
    sql(
        "INSERT INTO users (id, name, email, email_verified, role) VALUES ($1, $1, $2, true, $3)",
        Tuple.of(id, id + "@example.test", platformRole));
  }

  void organization(String id, String slug) {
    sql(
        "INSERT INTO organizations (id, name, slug, created_at) VALUES ($1, $1, $2, $3)",
        Tuple.of(id, slug, OffsetDateTime.now()));
  }

  void member(String userId, String orgId, String role) {
    sql(
        "INSERT INTO members (id, organization_id, user_id, role, created_at)"
            + " VALUES ($1, $2, $3, $4, $5)",
        Tuple.of(userId + "@" + orgId, orgId, userId, role, OffsetDateTime.now()));
  }

  void role(String userId, String orgId, String role) {
    sql(
        "UPDATE members SET role = $3 WHERE user_id = $1 AND organization_id = $2",
        Tuple.of(userId, orgId, role));
  }

  void remove(String userId, String orgId) {
    sql("DELETE FROM members WHERE user_id = $1 AND organization_id = $2", Tuple.of(userId, orgId));
  }

  void ban(String userId) {
    sql("UPDATE users SET banned = true WHERE id = $1", Tuple.of(userId));
  }

  private void sql(String sql, Tuple args) {
    try {
      pool.preparedQuery(sql)
          .execute(args)
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("test SQL failed: " + sql, e);
    }
  }

  @Override
  public void close() {
    pool.close();
  }
}
