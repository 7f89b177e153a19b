package dev.betterauthz.hardening;

import dev.betterauthz.app.Server;
import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.config.ConfigLoader;
import dev.betterauthz.testsupport.BetterAuthRows;
import dev.betterauthz.testsupport.Events;
import dev.betterauthz.testsupport.TestIssuer;
import dev.betterauthz.testsupport.TestServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The real server with every dependency behind a {@link FaultProxy}: PostgreSQL, Redis, NATS and
 * the JWKS endpoint (the {@link TestIssuer}). The test writes rows directly (not through the proxy)
 * and publishes events directly to NATS; only better-authz's own traffic crosses the proxies.
 */
final class ProxiedServer implements AutoCloseable {
  final TestIssuer issuer;
  final BetterAuthRows rows;
  final FaultProxy pg;
  final FaultProxy redis;
  final FaultProxy nats;
  final FaultProxy jwks;
  final Server server;
  final Events events;
  final EnvoyCalls calls;
  private final Path policyFile;

  ProxiedServer(String prefix, String policyYaml, Map<String, String> settings) throws Exception {
    issuer = new TestIssuer();
    rows = BetterAuthRows.freshDatabase(prefix, SchemaNaming.PLURAL_SNAKE);
    rows.addRequiredIndexes();
    pg = FaultProxy.inFrontOf("pg", rows.databaseUrl(), 5432);
    redis = FaultProxy.inFrontOf("redis", TestServices.redisUrl(), 6379);
    nats = FaultProxy.inFrontOf("nats", TestServices.natsUrl(), 4222);
    jwks = FaultProxy.inFrontOf("jwks", issuer.jwksUrl().toString(), 80);
    String natsPrefix =
        "hard" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + ".";
    policyFile = Files.createTempFile("policy", ".yaml");
    Files.writeString(policyFile, policyYaml, StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>();
    env.put("AUTHZ_GRPC_PORT", "0");
    env.put("AUTHZ_HTTP_PORT", "0");
    env.put("AUTHZ_BIND_ADDRESS", "127.0.0.1");
    env.put("AUTHZ_POLICY_FILE", policyFile.toString());
    env.put("AUTHZ_JWKS_URL", jwks.rewrite(issuer.jwksUrl().toString(), 80));
    env.put("AUTHZ_JWT_ISSUER", issuer.origin());
    env.put("AUTHZ_JWT_AUDIENCE", issuer.origin());
    env.put("AUTHZ_DATABASE_URL", pg.rewrite(rows.databaseUrl(), 5432));
    env.put("AUTHZ_SCHEMA", SchemaNaming.PLURAL_SNAKE.value());
    env.put("AUTHZ_REDIS_URL", redis.rewrite(TestServices.redisUrl(), 6379));
    env.put("AUTHZ_NATS_URL", nats.rewrite(TestServices.natsUrl(), 4222));
    env.put("AUTHZ_NATS_SUBJECT_PREFIX", natsPrefix);
    env.put("AUTHZ_SHUTDOWN_GRACE", "1s");
    env.put("AUTHZ_STARTUP_CHECKS", "off");
    env.putAll(settings);
    server = Server.start(ConfigLoader.fromEnv(env));
    Awaitility.await("server ready").atMost(30, TimeUnit.SECONDS).until(server.readiness()::ready);
    events = new Events(natsPrefix);
    calls = new EnvoyCalls(server.grpcPort()).warm();
  }

  List<FaultProxy> proxies() {
    return List.of(pg, redis, nats, jwks);
  }

  @Override
  public void close() throws Exception {
    calls.close();
    events.close();
    server.close();
    for (FaultProxy p : proxies()) {
      p.close();
    }
    issuer.close();
    rows.close();
    Files.deleteIfExists(policyFile);
  }
}
