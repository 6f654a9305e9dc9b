package dev.tempmedia.cli;

import dev.tempmedia.config.ConfigException;
import dev.tempmedia.config.ConfigLoader;
import dev.tempmedia.config.ConfigValidator;
import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.server.CaSource;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ca}: the local CA whose leaves HTTPS and the proxy serve (SPEC §11). */
@Command(
    name = "ca",
    mixinStandardHelpOptions = true,
    description =
        "The local certificate authority that HTTPS and the forward proxy serve leaves of.",
    subcommands = {CaCommand.Export.class})
final class CaCommand implements Runnable {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code ca export}: the CA certificate as PEM, made in the data directory first if it has none. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Write the CA certificate (PEM) for clients to trust: to stdout, or to a file.",
        "The CA is the configured one (ca.cert), or <data>/ca/ca.pem, made there if it is not yet."
      })
  static final class Export implements Callable<Integer> {
    @ParentCommand
    CaCommand parent;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "write to FILE instead of stdout")
    Path output;

    @Option(
        names = "--data",
        paramLabel = "DIR",
        description = "data directory (storage.path; default ./tempmedia-data)")
    String data;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "YAML configuration file (as for serve)")
    Path configFile;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = parent.spec.commandLine().getErr();
      Map<String, String> flags = new LinkedHashMap<>();
      if (data != null) {
        flags.put("storage.path", data);
      }
      TempmediaConfig config;
      try {
        config = ConfigValidator.validate(ConfigLoader.load(configFile, System.getenv(), flags));
      } catch (ConfigException e) {
        err.println("tempmedia: " + e.getMessage());
        return 2;
      }
      String pem;
      try {
        pem = new CaSource(config).get().certificatePem();
      } catch (RuntimeException e) {
        err.println("tempmedia: " + e.getMessage());
        return 3;
      }
      if (output == null) {
        PrintWriter out = parent.spec.commandLine().getOut();
        out.print(pem);
        out.flush();
      } else {
        // A file that cannot be written is a message and exit 3 (as the client commands' I/O
        // errors), not picocli's stack trace.
        try {
          Files.writeString(output, pem);
        } catch (java.io.IOException e) {
          err.println("tempmedia: cannot write " + output + ": " + e.getMessage());
          return 3;
        }
      }
      return 0;
    }
  }
}
