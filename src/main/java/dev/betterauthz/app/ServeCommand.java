package dev.betterauthz.app;

import dev.betterauthz.config.AppConfig;
import dev.betterauthz.policy.PolicyException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/** Runs the server until SIGTERM/SIGINT, then drains. The default command. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the authorization server (settings from AUTHZ_* environment variables).")
public final class ServeCommand implements Callable<Integer> {
  @Override
  public Integer call() throws Exception {
    Optional<AppConfig> loaded = Settings.load();
    if (loaded.isEmpty()) {
      return Settings.BAD_SETTINGS;
    }
    AppConfig config = loaded.get();
    Server server;
    try {
      server = Server.start(config);
    } catch (PolicyException e) {
      System.err.println("invalid policy file " + config.policy().file() + ":\n" + e.getMessage());
      return Settings.BAD_SETTINGS;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "authz-shutdown"));
    stopped.await();
    return 0;
  }
}
