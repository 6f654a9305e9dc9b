package dev.tempmedia.cli;

import dev.tempmedia.cli.client.Credentials;
import java.net.URI;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Where the client commands connect and as whom: flags, else the TEMPMEDIA_* environment variables
 * (so a secret need not appear in the process list or the shell history), else the default URL.
 */
final class ClientOptions {
  static final String DEFAULT_URL = "http://127.0.0.1:8080";

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "server base URL (env TEMPMEDIA_URL; default " + DEFAULT_URL + ")")
  String url;

  @ArgGroup(exclusive = true)
  Identity identity;

  static final class Identity {
    @Option(
        names = "--appid",
        paramLabel = "ID",
        description = "Official Account or Mini Program appid (env TEMPMEDIA_APPID)")
    String appid;

    @Option(
        names = "--corpid",
        paramLabel = "ID",
        description = "WeCom corpid (env TEMPMEDIA_CORPID)")
    String corpid;
  }

  @Option(
      names = "--secret",
      paramLabel = "S",
      description = "the appid's secret or the corp's secret (env TEMPMEDIA_SECRET)")
  String secret;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description =
          "give up when the server answers nothing, or sends or takes no byte, for this long (default ${DEFAULT-VALUE})")
  int timeoutSeconds;

  java.time.Duration timeout(CommandLine cmd) {
    if (timeoutSeconds <= 0) {
      throw new CommandLine.ParameterException(cmd, "--timeout must be at least 1 second");
    }
    return java.time.Duration.ofSeconds(timeoutSeconds);
  }

  /** The base URL; a usage error when it is not an http(s) URL. */
  URI baseUrl(Map<String, String> env, CommandLine cmd) {
    String text = firstSet(url, env.get("TEMPMEDIA_URL"), DEFAULT_URL);
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, "not a URL: " + text);
    }
    if (uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new CommandLine.ParameterException(cmd, "not an http or https URL: " + text);
    }
    return uri;
  }

  /**
   * The credentials. An id given as a flag wins over both variables, so a TEMPMEDIA_CORPID left in
   * the environment does not get in the way of {@code --appid}.
   */
  Credentials credentials(Map<String, String> env, CommandLine cmd) {
    String appid = identity == null ? null : identity.appid;
    String corpid = identity == null ? null : identity.corpid;
    if (appid == null && corpid == null) {
      appid = blankToNull(env.get("TEMPMEDIA_APPID"));
      corpid = blankToNull(env.get("TEMPMEDIA_CORPID"));
      if (appid != null && corpid != null) {
        throw new CommandLine.ParameterException(
            cmd,
            "TEMPMEDIA_APPID and TEMPMEDIA_CORPID are both set: choose one with --appid or --corpid");
      }
    }
    if (appid == null && corpid == null) {
      throw new CommandLine.ParameterException(
          cmd, "Missing --appid or --corpid (or TEMPMEDIA_APPID / TEMPMEDIA_CORPID)");
    }
    String s = firstSet(secret, env.get("TEMPMEDIA_SECRET"), null);
    if (s == null) {
      throw new CommandLine.ParameterException(cmd, "Missing --secret (or TEMPMEDIA_SECRET)");
    }
    return appid != null ? Credentials.app(appid, s) : Credentials.corp(corpid, s);
  }

  private static String firstSet(String flag, String env, String fallback) {
    if (flag != null) {
      return flag;
    }
    String fromEnv = blankToNull(env);
    return fromEnv != null ? fromEnv : fallback;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
