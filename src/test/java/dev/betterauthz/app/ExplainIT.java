package dev.betterauthz.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.betterauthz.config.AppConfig;
import dev.betterauthz.config.AppConfig.SchemaNaming;
import dev.betterauthz.config.ConfigLoader;
import dev.betterauthz.decision.Decision;
import dev.betterauthz.pipeline.AccessRequest;
import dev.betterauthz.pipeline.PipelineAuthorizer;
import dev.betterauthz.testsupport.BetterAuthRows;
import dev.betterauthz.testsupport.TestIssuer;
import dev.betterauthz.testsupport.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * {@code explain} against real PostgreSQL, Redis and a JWKS: the trace of an allow and of a deny,
 * the exit codes, and never the token in the output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainIT {
  static final String POLICY =
      """
      roles:
        staff:  ["leave:request", "leave:approve", "leave:read"]
        viewer: ["leave:read"]
      routes:
        - name: approve-leave
          match: { methods: [POST], path: "/api/orgs/{org}/leave/{id}/approve" }
          tenant: { path: org }
          require: ["leave:approve"]
      default: deny
      """;

  private TestIssuer issuer;
  private BetterAuthRows rows;
  private Path policy;
  private AppConfig config;
  private String org;

  @BeforeAll
  void start() throws Exception {
    issuer = new TestIssuer();
    rows = BetterAuthRows.freshDatabase("explain", SchemaNaming.PLURAL_SNAKE);
    policy = Files.createTempFile("policy", ".yaml");
    Files.writeString(policy, POLICY, StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>();
    env.put("AUTHZ_POLICY_FILE", policy.toString());
    env.put("AUTHZ_JWKS_URL", issuer.jwksUrl().toString());
    env.put("AUTHZ_DATABASE_URL", rows.databaseUrl());
    env.put("AUTHZ_REDIS_URL", TestServices.redisUrl());
    env.put("AUTHZ_NATS_URL", "off");
    config = ConfigLoader.fromEnv(env);
    org = rows.organization("explain");
  }

  @AfterAll
  void stop() throws Exception {
    issuer.close();
    rows.close();
    Files.deleteIfExists(policy);
  }

  private String tokenFor(String role) {
    String user = rows.user("user");
    rows.member(org, user, role);
    return issuer.mint(user, Map.of());
  }

  private String approve() {
    return "/api/orgs/" + org + "/leave/7/approve";
  }

  /** Runs {@code explain} as the command line would, with {@link #config} as its settings. */
  private Run explain(String... args) throws Exception {
    ExplainCommand command = new ExplainCommand();
    new CommandLine(command).parseArgs(args);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      code = command.run(config, out);
    }
    return new Run(code, bytes.toString(StandardCharsets.UTF_8));
  }

  private record Run(int exitCode, String output) {}

  @Test
  void explainsAnAllowStepByStep() throws Exception {
    String token = tokenFor("staff");
    Run run = explain("--method", "POST", "--path", approve() + "?x=1", "--token", token);
    assertThat(run.exitCode()).isZero();
    assertThat(run.output())
        .contains("route: approve-leave (permissions)")
        .containsPattern("credential: \\S+ for user [A-Za-z0-9]{32}, valid until ")
        .contains("tenant: organization " + org + " (from path 'org')")
        .containsPattern(
            "role: tier (POSTGRES|REDIS|LOCAL|postgres|redis|local): member roles \\[staff\\]")
        .contains("permissions: granted")
        .contains("route requires [leave:approve]")
        .contains("decision: allow")
        .containsPattern("decision id: \\S{20}")
        .endsWith("result: ALLOW" + System.lineSeparator())
        .doesNotContain(token)
        .doesNotContain(token.substring(token.lastIndexOf('.') + 1));
  }

  @Test
  void explainsADenyWithItsReasonAndExitCode() throws Exception {
    String token = tokenFor("viewer");
    Run run = explain("--method", "POST", "--path", approve(), "--token", token);
    assertThat(run.exitCode()).isEqualTo(ExplainCommand.DENIED);
    assertThat(run.output())
        .contains("route: approve-leave")
        .contains("tenant: organization " + org)
        .contains("member roles [viewer]")
        .contains("route requires [leave:approve]")
        .contains("decision: deny (missing_permission)")
        .contains("result: DENY 403 (missing_permission)")
        .doesNotContain(token);

    Run anonymous = explain("--method", "POST", "--path", approve());
    assertThat(anonymous.exitCode()).isEqualTo(ExplainCommand.DENIED);
    assertThat(anonymous.output())
        .contains("credential: none")
        .contains("result: DENY 401 (missing_token)");
  }

  @Test
  void explainerReturnsTheSameDecisionTheServerWould() throws Exception {
    String token = tokenFor("staff");
    PipelineAuthorizer.Explained explained =
        Explainer.explain(
            config,
            AccessRequest.of("POST", approve(), Map.of("authorization", "Bearer " + token)));
    assertThat(explained.decision()).isInstanceOf(Decision.Allow.class);
    assertThat(explained.trace().userId()).isPresent();
    assertThat(explained.trace().orgId()).contains(org);
    assertThat(explained.trace().tier()).isPresent();
    String all = String.join("\n", explained.trace().steps());
    assertThat(all).doesNotContain(token);
  }
}
