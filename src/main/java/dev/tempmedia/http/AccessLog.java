package dev.tempmedia.http;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured line per request. Query values that are credentials are replaced by {@code ***}
 * before anything is written: secrets and tokens never reach a log.
 */
public final class AccessLog {
  private static final Logger LOG = LoggerFactory.getLogger("tempmedia.access");
  static final Set<String> SECRET_PARAMS =
      Set.of("access_token", "secret", "corpsecret", "appsecret", "sig");
  private static final Pattern PARAM = Pattern.compile("(^|&)([^=&]*)=([^&]*)");

  private AccessLog() {}

  public static void write(Exchange ex) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    var request = ex.request();
    LOG.info(
        "rid={} method={} via={} path={} status={} appid={} errcode={} durationMs={}{}",
        ex.id().rid(),
        request.method(),
        ex.via().wireName(),
        redact(request.path(), request.query()),
        request.response().getStatusCode(),
        ex.appId() == null ? "-" : ex.appId(),
        ex.errcode(),
        String.format("%.2f", ex.elapsedMillis()),
        ex.diagnosis() == null || ex.errcode() == 0
            ? ""
            : " diagnosis=\"" + ex.diagnosis().replace('"', '\'') + "\"");
  }

  /** The path and query with every credential's value hidden. */
  public static String redact(String path, String query) {
    if (query == null || query.isEmpty()) {
      return path;
    }
    Matcher m = PARAM.matcher(query);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(2);
      // Compared decoded: the server reads "access%5Ftoken" as access_token, so the log must hide
      // it too.
      String decodedName = LenientQuery.decode(name).toLowerCase(java.util.Locale.ROOT);
      String value = SECRET_PARAMS.contains(decodedName) ? "***" : m.group(3);
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + name + "=" + value));
    }
    m.appendTail(out);
    return path + "?" + out;
  }
}
