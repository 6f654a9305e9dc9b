package dev.tempmedia.cli;

import dev.tempmedia.admin.OperatorApi;
import dev.tempmedia.auth.App;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.config.ConfigException;
import dev.tempmedia.config.ConfigLoader;
import dev.tempmedia.config.ConfigValidator;
import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.server.TempmediaServer;
import dev.tempmedia.wechat.TokenFamily;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: starts the server; with no configuration, dev mode on 127.0.0.1:8080. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Start the server. Every option has an environment twin (TEMPMEDIA_CONFIG for --config,"
            + " TEMPMEDIA_SERVER_PORT for --port, …).")
final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML configuration file (TEMPMEDIA_CONFIG)")
  Path configFile;

  @Option(names = "--host", description = "address to listen on (server.host; default 127.0.0.1)")
  String host;

  @Option(
      names = "--port",
      description = "port to listen on, 0 for any free one (server.port; default 8080)")
  Integer port;

  @Option(
      names = "--https-port",
      description = "HTTPS port, 0 for any free one (server.https.port; default off)")
  Integer httpsPort;

  @Option(
      names = "--proxy-port",
      description =
          "forward-proxy port that answers for the WeChat hosts itself (server.proxy.port; default off)")
  Integer proxyPort;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "data directory (storage.path; default ./tempmedia-data)")
  String data;

  @Option(names = "--mode", description = "dev or prod (mode; default dev)")
  String mode;

  @Override
  public Integer call() throws InterruptedException {
    // Vert.x loads while the configuration is read: the two are independent and each takes a
    // good part of the start time.
    CompletableFuture<Vertx> vertx = CompletableFuture.supplyAsync(TempmediaServer::newVertx);
    TempmediaConfig config;
    try {
      config = ConfigValidator.validate(ConfigLoader.load(configFile, System.getenv(), flags()));
    } catch (ConfigException e) {
      System.err.println("tempmedia: " + e.getMessage());
      vertx.thenAccept(Vertx::close);
      return 2;
    }
    TempmediaServer server;
    try {
      server = TempmediaServer.start(config, ServerClock.system(), vertx::join);
    } catch (RuntimeException e) {
      System.err.println("tempmedia: cannot start: " + e.getMessage());
      vertx.thenAccept(Vertx::close); // not yet owned by a server when the start failed before it
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(
            () -> {
              server.close();
              stopped.countDown();
            },
            "tempmedia-shutdown"));
    System.out.println(banner(server));
    System.out.flush();
    stopped.await();
    return 0;
  }

  private Map<String, String> flags() {
    Map<String, String> flags = new LinkedHashMap<>();
    if (host != null) {
      flags.put("server.host", host);
    }
    if (port != null) {
      flags.put("server.port", port.toString());
    }
    if (httpsPort != null) {
      flags.put("server.https.port", httpsPort.toString());
    }
    if (proxyPort != null) {
      flags.put("server.proxy.port", proxyPort.toString());
    }
    if (data != null) {
      flags.put("storage.path", data);
    }
    if (mode != null) {
      flags.put("mode", mode);
    }
    return flags;
  }

  /** Which certificate HTTPS serves, in a few words. */
  private static String certificate(TempmediaServer server) {
    return server.config().server().https().cert() != null
        ? "the configured certificate"
        : "a leaf of the local CA until "
            + server.certificates().current().leaf().getNotAfter().toInstant();
  }

  static String banner(TempmediaServer server) {
    TempmediaConfig config = server.config();
    StringBuilder out = new StringBuilder();
    out.append("tempmedia listening on ")
        .append(server.baseUrl())
        .append(" (")
        .append(config.mode().name().toLowerCase())
        .append(" mode, ")
        .append(storage(config.storage()))
        .append(")\n");
    out.append("apps:\n");
    for (App app : server.apps().all()) {
      AppRegistry.Source source = server.apps().source(app);
      out.append(String.format(
          "  %-17s %-20s secret %s%n",
          app.product().wireName(),
          app.id(),
          source == AppRegistry.Source.WELL_KNOWN
              ? String.join(", ", app.secrets())
              : source == AppRegistry.Source.CREATED
                  ? "(shown when it was created)"
                  : "(configured)"));
    }
    if (config.devMode() && !server.clock().offset().isZero()) {
      out.append("clock: moved by ")
          .append(server.clock().offset())
          .append(" (now ")
          .append(server.clock().instant())
          .append("); reset with POST /_tempmedia/clock {\"reset\":true}\n");
    }
    if (server.httpsPort() > 0) {
      out.append("https: ")
          .append("https://")
          .append(config.server().host())
          .append(':')
          .append(server.httpsPort())
          .append(" (")
          .append(certificate(server))
          .append(")\n");
    }
    if (server.proxyPort() > 0) {
      out.append("proxy: ")
          .append(config.server().host())
          .append(':')
          .append(server.proxyPort())
          .append(" answers for api.weixin.qq.com, qyapi.weixin.qq.com, file.api.weixin.qq.com"
              + " and refuses every other host\n");
    }
    if (server.certificates() != null) {
      out.append("trust: ")
          .append(server.baseUrl())
          .append(OperatorApi.CA_PEM)
          .append(" (or: tempmedia ca export)\n");
    }
    out.append("console: ").append(server.baseUrl()).append(OperatorApi.CONSOLE).append("\n");
    // The example is a /cgi-bin/token call: the first app that gets its tokens there.
    server.apps().all().stream()
        .filter(a -> a.product().profile().tokens() == TokenFamily.APP_SECRET)
        .findFirst()
        .filter(a -> config.devMode())
        .ifPresent(a -> out.append("try:\n  curl '")
            .append(server.baseUrl())
            .append(WeChatApi.tokenRequest(
                a.product().profile().tokens(), a.id(), a.secrets().get(0)))
            .append("'\n"));
    return out.toString().stripTrailing();
  }

  /** Where the media lives: the directory, or the S3 endpoint and bucket (the local path is unused then). */
  static String storage(TempmediaConfig.Storage storage) {
    TempmediaConfig.S3 s3 = storage.s3();
    return switch (storage.kind()) {
      case LOCAL -> "storage local at " + storage.path();
      case S3 ->
        "storage s3 at "
            + (s3.endpoint() == null || s3.endpoint().isBlank()
                ? "AWS " + s3.region()
                : s3.endpoint())
            + ", bucket " + s3.bucket();
    };
  }
}
