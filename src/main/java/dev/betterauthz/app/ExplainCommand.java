package dev.betterauthz.app;

import dev.betterauthz.config.AppConfig;
import dev.betterauthz.decision.Decision;
import dev.betterauthz.pipeline.AccessRequest;
import dev.betterauthz.pipeline.PipelineAuthorizer;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Traces one decision step by step with the server's settings, keys and data. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Decide one request and print every step: route, credential, tenant, role tier,",
      "permissions, decision and reason. Exit code: 0 allow, 3 deny, 2 bad settings."
    })
public final class ExplainCommand implements Callable<Integer> {
  static final int DENIED = 3;

  @Option(names = "--method", defaultValue = "GET", description = "HTTP method (default GET)")
  String method;

  @Option(names = "--path", required = true, description = "request path, query allowed")
  String path;

  @Option(names = "--token", description = "the Bearer token (never printed)")
  String token;

  @Option(
      names = {"-H", "--header"},
      description = "extra header name=value, repeatable")
  Map<String, String> headers = new HashMap<>();

  @Override
  public Integer call() throws Exception {
    Optional<AppConfig> loaded = Settings.load();
    if (loaded.isEmpty()) {
      return Settings.BAD_SETTINGS;
    }
    AppConfig config = loaded.get();
    return run(config, System.out);
  }

  /** Decides the request given on the command line with {@code config} and prints the trace. */
  int run(AppConfig config, PrintStream out) throws Exception {
    Map<String, String> all = new HashMap<>();
    headers.forEach((k, v) -> all.put(k.toLowerCase(Locale.ROOT), v));
    if (token != null) {
      all.put("authorization", "Bearer " + token);
    }
    PipelineAuthorizer.Explained explained =
        Explainer.explain(config, AccessRequest.of(method, path, all));
    print(explained, out);
    return explained.decision() instanceof Decision.Allow ? 0 : DENIED;
  }

  static void print(PipelineAuthorizer.Explained explained, PrintStream out) {
    out.println("request: " + explained.trace().steps().size() + " steps");
    explained.trace().steps().forEach(step -> out.println("  " + step));
    Decision d = explained.decision();
    out.println("decision id: " + d.decisionId());
    if (d instanceof Decision.Deny deny) {
      out.println("result: DENY " + deny.reason().httpStatus() + " (" + deny.reason().code() + ")");
    } else {
      out.println("result: ALLOW");
    }
  }
}
