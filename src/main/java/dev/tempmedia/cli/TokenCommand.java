package dev.tempmedia.cli;

import dev.tempmedia.cli.client.WeChatClient;
import dev.tempmedia.cli.client.WeChatError;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code token}: prints an access token, without rotating the one a running service holds. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Print an access token.",
      "An appid's comes from /cgi-bin/stable_token (never force_refresh, so a running service's token stays valid);"
          + " a corpid's from /cgi-bin/gettoken."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the token is on stdout",
      "1:WeChat answered an error (errcode N: errmsg on stderr)",
      "2:wrong usage",
      "3:network or file error"
    })
final class TokenCommand extends ClientCommand {
  @Override
  int run(WeChatClient client, PrintWriter out) throws IOException, WeChatError {
    out.println(client.token());
    return 0;
  }
}
