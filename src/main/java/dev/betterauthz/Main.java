package dev.betterauthz;

import dev.betterauthz.app.DoctorCommand;
import dev.betterauthz.app.ExplainCommand;
import dev.betterauthz.app.ServeCommand;
import dev.betterauthz.bench.BenchCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point: {@code java -jar better-authz.jar} runs the server; subcommands {@code doctor},
 * {@code explain} and {@code bench}.
 */
@Command(
    name = "better-authz",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Envoy external-authorization server for Better Auth.",
      "Without a subcommand it runs the server; settings come from AUTHZ_* environment variables."
    },
    subcommands = {
      ServeCommand.class,
      DoctorCommand.class,
      ExplainCommand.class,
      BenchCommand.class
    })
public final class Main implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    return new ServeCommand().call();
  }

  public static void main(String[] args) {
    int code = new CommandLine(new Main()).execute(args);
    if (code != 0 || args.length > 0) {
      System.exit(code);
    }
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"better-authz " + (v == null ? "dev" : v)};
    }
  }
}
