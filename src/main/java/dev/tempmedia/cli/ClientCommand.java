package dev.tempmedia.cli;

import dev.tempmedia.cli.client.Credentials;
import dev.tempmedia.cli.client.Progress;
import dev.tempmedia.cli.client.ProgressBar;
import dev.tempmedia.cli.client.WeChatClient;
import dev.tempmedia.cli.client.WeChatError;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What the client commands share: the connection options, and one place that turns failures into
 * exit codes (0 done; 1 WeChat answered an errcode; 2 usage, from picocli; 3 network or file).
 */
abstract class ClientCommand implements Callable<Integer> {
  static final int WECHAT_ERROR = 1;
  static final int IO_ERROR = 3;

  @Mixin
  ClientOptions connection;

  @Spec
  CommandSpec spec;

  @ParentCommand
  Main main;

  @Override
  public final Integer call() {
    URI base = connection.baseUrl(main.env(), spec.commandLine());
    Credentials credentials = connection.credentials(main.env(), spec.commandLine());
    Duration timeout = connection.timeout(spec.commandLine());
    PrintWriter err = spec.commandLine().getErr();
    try {
      return run(
          new WeChatClient(base, credentials, timeout), spec.commandLine().getOut());
    } catch (WeChatError e) {
      err.println(e.getMessage());
      return WECHAT_ERROR;
    } catch (IOException e) {
      err.println("tempmedia: " + describe(e));
      return IO_ERROR;
    } finally {
      spec.commandLine().getOut().flush();
      err.flush();
    }
  }

  abstract int run(WeChatClient client, PrintWriter out) throws IOException, WeChatError;

  /** A progress bar on stderr when it is a terminal; nothing when it goes to a file or a pipe. */
  Progress progress(String label) {
    return main.terminal() ? new ProgressBar(spec.commandLine().getErr(), label) : Progress.NONE;
  }

  private static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file: " + e.getMessage();
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + e.getMessage();
    }
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getFile() + ": " + fs.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }
}
