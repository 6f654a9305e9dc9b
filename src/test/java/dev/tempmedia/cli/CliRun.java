package dev.tempmedia.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs the command line in this JVM, as {@code java -jar tempmedia.jar ARGS} would, with stdout and stderr captured. */
record CliRun(int exit, String out, String err) {

  static CliRun of(Map<String, String> env, boolean terminal, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.commandLine(new Main(env, terminal), args);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  static CliRun of(String... args) {
    return of(Map.of(), false, args);
  }

  /** stdout without its line end: the one value a successful command prints. */
  String value() {
    return out.strip();
  }

  @Override
  public String toString() {
    return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
