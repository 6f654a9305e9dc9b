package dev.tempmedia.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one runnable artifact: {@code java -jar tempmedia.jar serve}, and later the client commands. */
@Command(name = "tempmedia", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "WeChat temporary media (临时素材) server: an emulator for development and CI, and a real expiring-media store.",
    subcommands = {ServeCommand.class, TrainCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.setProperty("vertx.disableDnsResolver", "true");
    int exit = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
