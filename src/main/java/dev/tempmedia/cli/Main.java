package dev.tempmedia.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The one runnable artifact: {@code java -jar tempmedia.jar serve}, and the client commands
 * {@code token}, {@code upload} and {@code download}; {@code ca export} writes the local CA's certificate.
 */
@Command(
    name = "tempmedia",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "WeChat temporary media (临时素材) server: an emulator for development and CI, and a real expiring-media store.")
public final class Main implements Runnable {
  /**
   * The subcommands by name, in the order the help lists them. Registered here rather than in the
   * annotation so that a run builds the model of the one command it runs: picocli reads the options
   * of every registered command up front, and the five a {@code serve} does not need cost it about
   * 0.03 s of its start (docs/benchmarks.md). Each name is its command's
   * {@code @Command(name)}, which {@code CliTest.eachCommandIsRegisteredUnderItsOwnName} checks.
   */
  static final Map<String, Supplier<Object>> COMMANDS = commands();

  private static Map<String, Supplier<Object>> commands() {
    Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
    commands.put("serve", ServeCommand::new);
    commands.put("token", TokenCommand::new);
    commands.put("upload", UploadCommand::new);
    commands.put("download", DownloadCommand::new);
    commands.put("ca", CaCommand::new);
    commands.put("train", TrainCommand::new);
    return Collections.unmodifiableMap(commands);
  }

  private final Map<String, String> env;
  private final boolean terminal;

  public Main() {
    // Java 17 cannot ask about stderr itself; System.console() is null as soon as stdin or
    // stdout is not a terminal, so a piped or scripted run never gets carriage-return progress
    // lines in its logs.
    this(System.getenv(), System.console() != null);
  }

  /** With a given environment and terminal, as tests run the commands in process. */
  Main(Map<String, String> env, boolean terminal) {
    this.env = Map.copyOf(env);
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    System.setProperty(
        "vertx.logger-delegate-factory-class-name",
        "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.setProperty("vertx.disableDnsResolver", "true");
    keepConnectionsForReuse();
    withoutNettyFlightRecorderEvents();
    int exit = execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  /**
   * Runs {@code args} as {@code java -jar tempmedia.jar ARGS} would, in this JVM and with its
   * environment, and returns the exit code: for code and tests that run a command in process.
   */
  public static int execute(String... args) {
    return commandLine(new Main(), args).execute(args);
  }

  /** Connections per host the JDK keeps open for reuse (its default, 5, is below any load). */
  static final String KEPT_CONNECTIONS = "64";

  /**
   * HttpURLConnection, under the S3 client's calls, keeps at most
   * {@code http.maxConnections} idle connections per host; beyond that every request of a busy
   * instance opened and closed a connection of its own. The JDK reads it once, at its first HTTP
   * use, so it is set before anything else runs, unless the operator set it.
   */
  static void keepConnectionsForReuse() {
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", KEPT_CONNECTIONS);
    }
  }

  /**
   * Netty's allocator describes its chunks as JDK Flight Recorder events whenever a recorder could
   * run: the first buffer it allocates, on the first request, then registers those event types with
   * the JVM, which loads about a hundred classes and generates their handlers (0.2 s of the start to
   * the first answer, docs/benchmarks.md). A recording started with {@code -XX:StartFlightRecording}
   * still sees every JVM event; {@code -Dio.netty.jfr.enabled=true} brings Netty's back.
   */
  static void withoutNettyFlightRecorderEvents() {
    if (System.getProperty("io.netty.jfr.enabled") == null) {
      System.setProperty("io.netty.jfr.enabled", "false");
    }
  }

  /**
   * The command line for {@code args}: with only the subcommand its first word names, or with all of
   * them when it names none (no arguments, {@code --help}, a mistyped command), so that the help and
   * the "did you mean" suggestions list every command.
   */
  static CommandLine commandLine(Main main, String... args) {
    CommandLine line = new CommandLine(main);
    Supplier<Object> named = args.length > 0 ? COMMANDS.get(args[0]) : null;
    if (named != null) {
      line.addSubcommand(named.get());
    } else {
      COMMANDS.values().forEach(command -> line.addSubcommand(command.get()));
    }
    // After the subcommands: picocli hands a setting down to those registered at the time.
    return line.setCaseInsensitiveEnumValuesAllowed(true);
  }

  /** The environment the client commands read TEMPMEDIA_URL, _APPID, _CORPID and _SECRET from. */
  Map<String, String> env() {
    return env;
  }

  /** Whether stderr is a terminal that a progress bar may be drawn on. */
  boolean terminal() {
    return terminal;
  }

  /** The command line this run was parsed by: with no command named, the one that has all of them. */
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
