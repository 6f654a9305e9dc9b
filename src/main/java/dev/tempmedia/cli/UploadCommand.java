package dev.tempmedia.cli;

import dev.tempmedia.cli.client.Progress;
import dev.tempmedia.cli.client.WeChatClient;
import dev.tempmedia.cli.client.WeChatError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code upload}: one file as temporary media; prints its media_id. */
@Command(
    name = "upload",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Upload a file as temporary media and print its media_id (valid 3 days).",
      "The file is streamed, and a progress bar is drawn on stderr when it is a terminal."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the media_id (or with --json the answer) is on stdout",
      "1:WeChat answered an error (errcode N: errmsg on stderr)",
      "2:wrong usage",
      "3:network or file error"
    })
final class UploadCommand extends ClientCommand {
  @Option(
      names = "--type",
      required = true,
      paramLabel = "T",
      description = "image, voice, video or thumb; WeCom also file (Mini Programs: image only)")
  String type;

  @Option(
      names = "--json",
      description = "print WeChat's whole JSON answer instead of the media_id")
  boolean json;

  @Parameters(
      paramLabel = "FILE",
      description = "the file to upload; its name is sent as the filename")
  Path file;

  @Override
  int run(WeChatClient client, PrintWriter out) throws IOException, WeChatError {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    long size = Files.size(file);
    String token = client.token();
    Progress progress = progress("upload");
    String answer;
    progress.start(0, size);
    try {
      answer = client.upload(token, type, file, progress);
    } finally {
      progress.finish();
    }
    out.println(json ? answer : WeChatClient.mediaIdOf(answer));
    return 0;
  }
}
