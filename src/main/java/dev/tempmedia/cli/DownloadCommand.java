package dev.tempmedia.cli;

import dev.tempmedia.cli.client.ResumableDownload;
import dev.tempmedia.cli.client.WeChatClient;
import dev.tempmedia.cli.client.WeChatError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code download}: a media's bytes into a file, resumable. */
@Command(
    name = "download",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Download a media into a file (an Official Account video's video_url is followed).",
      "A progress bar is drawn on stderr when it is a terminal. If the transfer breaks off, the file keeps"
          + " what arrived and FILE.part-etag the version it came from: --resume continues it."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the file is complete",
      "1:WeChat answered an error (errcode N: errmsg on stderr)",
      "2:wrong usage",
      "3:network or file error (a broken-off file can be continued with --resume)"
    })
final class DownloadCommand extends ClientCommand {
  @Parameters(paramLabel = "MEDIA_ID", description = "the media_id an upload answered")
  String mediaId;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE",
      description = "the file to write")
  Path output;

  @Option(
      names = "--resume",
      description =
          "continue a partial FILE from where it stops (Range + If-Range); a complete FILE is left as is")
  boolean resume;

  @Override
  int run(WeChatClient client, PrintWriter out) throws IOException, WeChatError {
    String token = client.token();
    new ResumableDownload(output, progress("download"), client.timeout())
        .run(headers -> client.openMedia(token, mediaId, headers), resume);
    return 0;
  }
}
