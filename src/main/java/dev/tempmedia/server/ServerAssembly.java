package dev.tempmedia.server;

import dev.tempmedia.admin.AppRoutes;
import dev.tempmedia.admin.CaRoutes;
import dev.tempmedia.admin.ClockRoutes;
import dev.tempmedia.admin.ContentImageRoutes;
import dev.tempmedia.admin.FaultRoutes;
import dev.tempmedia.admin.HealthRoutes;
import dev.tempmedia.admin.InspectorRoutes;
import dev.tempmedia.admin.MediaAdminRoutes;
import dev.tempmedia.admin.MetricsRoutes;
import dev.tempmedia.admin.OperatorApi;
import dev.tempmedia.admin.OperatorRoutes;
import dev.tempmedia.admin.OutboxRoutes;
import dev.tempmedia.admin.QuotaRoutes;
import dev.tempmedia.admin.console.ConsolePages;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.auth.CredentialCheck;
import dev.tempmedia.auth.ServerKeys;
import dev.tempmedia.auth.TokenService;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.emulator.ClockControl;
import dev.tempmedia.emulator.FaultRules;
import dev.tempmedia.http.AccessLog;
import dev.tempmedia.http.Callers;
import dev.tempmedia.http.CloudCallRoutes;
import dev.tempmedia.http.Dispatcher;
import dev.tempmedia.http.Endpoint;
import dev.tempmedia.http.Exchange;
import dev.tempmedia.http.ExchangeObserver;
import dev.tempmedia.http.Exchanges;
import dev.tempmedia.http.FaultInjection;
import dev.tempmedia.http.MediaRoutes;
import dev.tempmedia.http.MessageRoutes;
import dev.tempmedia.http.OpenApiRoutes;
import dev.tempmedia.http.PathTable;
import dev.tempmedia.http.TcbGatewayRoutes;
import dev.tempmedia.http.TokenRoutes;
import dev.tempmedia.http.UploadByUrlRoutes;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.http.WeChatRoute;
import dev.tempmedia.inspector.RequestLog;
import dev.tempmedia.inspector.RequestRecorder;
import dev.tempmedia.media.ContentImages;
import dev.tempmedia.media.ExpiryPolicy;
import dev.tempmedia.media.MediaIdCodec;
import dev.tempmedia.media.MediaService;
import dev.tempmedia.media.VideoLinks;
import dev.tempmedia.media.VoiceEncoder;
import dev.tempmedia.media.VoiceRenditions;
import dev.tempmedia.media.byurl.UploadByUrlService;
import dev.tempmedia.media.rules.RuleBook;
import dev.tempmedia.metrics.ServerMetrics;
import dev.tempmedia.outbox.MemoryOutbox;
import dev.tempmedia.outbox.MessageSender;
import dev.tempmedia.outbox.Outbox;
import dev.tempmedia.quota.QuotaService;
import dev.tempmedia.state.StateStore;
import dev.tempmedia.state.local.LocalStateStore;
import dev.tempmedia.state.redis.RedisStateStore;
import dev.tempmedia.storage.BlobStore;
import dev.tempmedia.storage.CachingBlobStore;
import dev.tempmedia.storage.CountingBlobStore;
import dev.tempmedia.storage.local.LocalBlobStore;
import dev.tempmedia.storage.s3.PartMemory;
import dev.tempmedia.storage.s3.S3BlobStore;
import dev.tempmedia.tls.ServerCertificates;
import dev.tempmedia.wechat.Product;
import dev.tempmedia.wechat.ProductProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Builds the server's parts from its configuration, in dependency order, and wires the one route
 * table of both surfaces ({@link WeChatApi}, {@link OperatorApi}) into a {@link Dispatcher}. It owns
 * what it opened until {@link #close}; {@link TempmediaServer} runs it.
 */
final class ServerAssembly implements AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(ServerAssembly.class);
  final TempmediaConfig config;
  final ServerClock clock;
  final StateStore state;
  final ServerKeys keys;
  final AppRegistry apps;
  final ClockControl clockControl;
  final QuotaService quotas;
  final RequestLog requests;
  final FaultRules faults = new FaultRules();
  final TokenService tokens;
  final RuleBook rules;
  final BlobStore blobs;
  final VoiceRenditions renditions;
  /** The content images of uploadimg: a store of their own, which the expiry sweep never walks. */
  final BlobStore imageBlobs;

  final MediaService media;
  final Vertx vertx;
  final ServerMetrics metrics;
  final MetricsRoutes metricsRoutes;
  final ExpirySweeper sweeper;
  final UploadByUrlService byUrl;
  /** The CA of the TLS listeners (SPEC §11): the configured one, or the data directory's, made when first needed. */
  final CaSource ca;
  /** What HTTPS and the proxy's tunnels serve; null when neither is on. */
  final ServerCertificates certificates;
  /** The messages the send endpoints accepted (dev mode; null in prod): shared through Redis when the state is. */
  final Outbox outbox;

  ServerAssembly(TempmediaConfig config, ServerClock clock, Supplier<Vertx> vertxSource) {
    // The metrics registry loads a few hundred classes (~120 ms): built on another thread
    // meanwhile,
    // once logging is set up (a logger first used on two threads at once makes SLF4J replay
    // warnings).
    org.slf4j.LoggerFactory.getILoggerFactory();
    CompletableFuture<ServerMetrics> metricsReady =
        CompletableFuture.supplyAsync(ServerMetrics::new);
    this.config = config;
    this.clock = clock;
    this.state = openState(config);
    BlobStore openedBlobs = null;
    BlobStore openedImages = null;
    try {
      this.keys = ServerKeys.resolve(config.security(), state);
      this.apps = AppRegistry.fromConfig(config, state);
      // Only an emulator's clock moves; a prod server never takes up a stored offset.
      this.clockControl = config.devMode() ? ClockControl.attach(clock, state) : null;
      this.requests = new RequestLog(config.inspector().capacity());
      this.tokens = new TokenService(apps, state, keys, clock);
      this.quotas = new QuotaService(config, state, clock);
      // One budget for the parts of every upload to S3, media and content images alike.
      PartMemory uploadMemory = PartMemory.ofMegabytes(config.storage().s3().uploadMemoryMb());
      openedBlobs = openBlobs(config, uploadMemory);
      this.blobs = openedBlobs;
      openedImages = openImageBlobs(config, uploadMemory);
      this.imageBlobs = openedImages;
      this.rules = RuleBook.load();
      this.renditions =
          new VoiceRenditions(config.voice().mp3Delivery(), blobs, VoiceEncoder.onPath());
      requireAmrEncoder(config, rules, renditions);
      this.media = new MediaService(
          rules, config.rules(), new MediaIdCodec(keys.mediaIds()), blobs, apps, clock, renditions);
      this.vertx = vertxSource.get();
      this.metrics = metricsReady.join();
      if (config.storage().kind() == TempmediaConfig.StorageKind.S3) {
        metrics.uploadMemory(
            uploadMemory::heldBytes, uploadMemory::peakBytes, uploadMemory.limitBytes());
      }
      this.metricsRoutes = new MetricsRoutes(vertx, metrics, blobs);
      this.byUrl = new UploadByUrlService(
          state, media, apps, config.devMode(), config.uploadByUrl().allowedHosts());
      this.ca = new CaSource(config);
      this.certificates = openCertificates(config, ca);
      this.outbox = !config.devMode()
          ? null
          : state instanceof RedisStateStore redis ? redis.outbox() : new MemoryOutbox();
      this.sweeper = new ExpirySweeper(vertx, media, removed -> {
        metrics.sweep(removed);
        metricsRoutes.refreshUsageNow();
      });
    } catch (RuntimeException e) {
      if (openedBlobs != null) {
        openedBlobs.close();
      }
      if (openedImages != null) {
        openedImages.close();
      }
      state.close();
      throw e;
    }
  }

  /**
   * A server configured to deliver MP3 voices as AMR (globally or by any configured app's rule set)
   * does not start without the encoder, rather than fall back to MP3 on every download.
   */
  private static void requireAmrEncoder(
      TempmediaConfig config, RuleBook rules, VoiceRenditions renditions) {
    TempmediaConfig.Mp3Delivery override = config.voice().mp3Delivery();
    String asking = null;
    if (override == TempmediaConfig.Mp3Delivery.AMR) {
      asking = "voice.mp3Delivery is amr";
    } else if (override == null) {
      if (rules.mp3Delivery(config.rules()) == TempmediaConfig.Mp3Delivery.AMR) {
        asking = "rules: " + ruleSetName(config.rules()) + " delivers MP3 voices as AMR";
      }
      for (int i = 0; i < config.apps().size() && asking == null; i++) {
        TempmediaConfig.RuleSetName set = config.apps().get(i).rules();
        if (set != null && rules.mp3Delivery(set) == TempmediaConfig.Mp3Delivery.AMR) {
          asking = "apps[" + i + "].rules: " + ruleSetName(set) + " delivers MP3 voices as AMR";
        }
      }
    }
    if (asking == null) {
      return;
    }
    java.util.Optional<String> problem = renditions.encoder().unavailable();
    if (problem.isPresent()) {
      throw new IllegalStateException(
          asking + ", but " + problem.get() + " (or set voice.mp3Delivery: original)");
    }
  }

  private static String ruleSetName(TempmediaConfig.RuleSetName set) {
    return set == TempmediaConfig.RuleSetName.CURRENT ? "current" : "classic-2013";
  }

  /** The configured certificate, or the CA's leaf; null when no listener serves TLS. */
  private static ServerCertificates openCertificates(TempmediaConfig config, CaSource ca) {
    TempmediaConfig.Server server = config.server();
    if (server.https().port() == null && server.proxy().port() == null) {
      return null;
    }
    try {
      if (server.https().cert() != null && !server.https().cert().isBlank()) {
        return ServerCertificates.configured(
            Path.of(server.https().cert()), Path.of(server.https().key()));
      }
      return ServerCertificates.issuedBy(
          ca.get(), ca.directory(), server.https().names(), java.time.Clock.systemUTC());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot set up the TLS certificate: " + e.getMessage(), e);
    }
  }

  private static StateStore openState(TempmediaConfig config) {
    if (config.state().kind() == TempmediaConfig.StateKind.REDIS) {
      return RedisStateStore.open(config.state().uri(), "tempmedia:");
    }
    return LocalStateStore.open(
        Path.of(config.storage().path()).resolve("state"), config.storage().fsync());
  }

  /** Local {@code <data>/images}, or the S3 prefix {@code images/}: outside the media lifecycle rule. */
  private static BlobStore openImageBlobs(TempmediaConfig config, PartMemory uploadMemory) {
    BlobStore store = config.storage().kind() == TempmediaConfig.StorageKind.S3
        ? S3BlobStore.openUnder(config.storage().s3(), "images/", uploadMemory)
        : LocalBlobStore.open(
            Path.of(config.storage().path()).resolve("images"), config.storage().fsync());
    return new CachingBlobStore(store);
  }

  private static BlobStore openBlobs(TempmediaConfig config, PartMemory uploadMemory) {
    BlobStore store = config.storage().kind() == TempmediaConfig.StorageKind.S3
        ? S3BlobStore.open(
            config.storage().s3(), ExpiryPolicy.MEDIA.storeExpiryDays(), uploadMemory)
        : LocalBlobStore.open(
            Path.of(config.storage().path()).resolve("media"), config.storage().fsync());
    // Whatever the backend: the one metadata cache in front, usage from counts between walks; on
    // S3 it also holds the bytes of small objects.
    long heldBytes = config.storage().kind() == TempmediaConfig.StorageKind.S3
        ? config.storage().s3().memoryCacheMb() * (1L << 20)
        : 0;
    return new CachingBlobStore(new CountingBlobStore(store), heldBytes);
  }

  /** The dispatcher of every request: both route tables, the observers, and in dev mode the faults. */
  Dispatcher dispatcher(Supplier<String> publicUrl) {
    List<ExchangeObserver> observers = List.of(
        ExchangeObserver.onFinish(AccessLog::write),
        new RequestRecorder(requests),
        ExchangeObserver.onFinish(this::measure));
    Exchanges exchanges = new Exchanges(clock, observers);
    Callers callers = new Callers(tokens, quotas, apps, config.cloudRun().appid());
    ContentImages images = new ContentImages(keys.mediaIds(), imageBlobs, clock);
    MessageSender sender = outbox == null ? null : new MessageSender(media, outbox, clock);
    MediaRoutes mediaRoutes = new MediaRoutes(
        vertx, callers, media, new VideoLinks(keys.links()), images, apps, clock, publicUrl);

    PathTable<Endpoint> routes = new PathTable<>();
    for (WeChatRoute route : WeChatApi.routes(
        new TokenRoutes(new CredentialCheck(apps), tokens),
        mediaRoutes,
        new CloudCallRoutes(vertx, callers, media, sender),
        new TcbGatewayRoutes(vertx, media, apps, clock, config.cloud(), config.devMode(), sender),
        new OpenApiRoutes(callers, quotas, requests, clock, wechatPaths()),
        new UploadByUrlRoutes(vertx, callers, media, byUrl),
        sender == null ? null : new MessageRoutes(vertx, callers, sender))) {
      routes.add(route.path(), route);
    }
    OperatorApi.Groups groups = new OperatorApi.Groups(
        new HealthRoutes(vertx, blobs::check, state::check, info()),
        new AppRoutes(apps, tokens),
        new InspectorRoutes(requests),
        new QuotaRoutes(apps, quotas),
        new CaRoutes(vertx, ca::get),
        new MediaAdminRoutes(apps, media, mediaRoutes, exchanges, metricsRoutes::storageChanged),
        metricsRoutes,
        config.devMode() ? new ClockRoutes(clockControl) : null,
        config.devMode() ? new FaultRoutes(faults) : null,
        outbox == null ? null : new OutboxRoutes(outbox),
        new ConsolePages(),
        mediaRoutes::video,
        new ContentImageRoutes(apps, images, publicUrl, metricsRoutes::storageChanged),
        mediaRoutes::contentImage);
    OperatorRoutes operator =
        new OperatorRoutes(vertx, config.devMode() ? null : config.admin().token());
    operator
        .endpoints(OperatorApi.routes(groups, config.admin().metricsOpen()))
        .forEach(routes::add);

    FaultInjection injection = config.devMode()
        ? new FaultInjection(faults, vertx, tokens, apps, metrics::faultFired)
        : null;
    return new Dispatcher(routes, exchanges, injection);
  }

  /** What {@code GET /_tempmedia/info} answers: the server's mode and backends, and each product as the console needs it. */
  private Map<String, Object> info() {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("mode", config.devMode() ? "dev" : "prod");
    info.put("version", BuildInfo.version());
    info.put("storage", config.storage().kind() == TempmediaConfig.StorageKind.S3 ? "s3" : "local");
    info.put("state", config.state().kind() == TempmediaConfig.StateKind.REDIS ? "redis" : "local");
    Map<String, Object> products = new LinkedHashMap<>();
    for (Product product : Product.values()) {
      ProductProfile profile = product.profile();
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("idField", profile.idField().wireName());
      p.put(
          "types",
          rules.types(config.rules(), product).stream().map(t -> t.wireName()).toList());
      p.put("mediaIdLength", profile.mediaIdLength());
      p.put("severalSecrets", profile.severalSecrets());
      p.put("tokenRequest", WeChatApi.tokenRequest(profile.tokens(), "{id}", "{secret}"));
      products.put(product.wireName(), p);
    }
    info.put("products", products);
    info.put("paths", publishedPaths());
    info.put("wechatPaths", wechatPaths());
    info.put("sendPaths", sendPaths());
    return info;
  }

  /**
   * The paths a message is sent through (the console lists their refusals beside the outbox): the
   * send endpoints and the TCB gateway, whose customerServiceMessage.send is one; none without an
   * outbox.
   */
  private List<String> sendPaths() {
    if (outbox == null) {
      return List.of();
    }
    List<String> paths = new java.util.ArrayList<>(WeChatApi.MESSAGE_PATHS);
    paths.add(WeChatApi.TCB_ADMIN);
    return List.copyOf(paths);
  }

  /** The WeChat paths this server serves: every row of the table, the send endpoints only with an outbox. */
  private java.util.List<String> wechatPaths() {
    return WeChatApi.paths(outbox != null);
  }

  /** The paths the console calls, by name, from the two route tables: it types none of them itself. */
  private static Map<String, String> publishedPaths() {
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put("info", OperatorApi.INFO);
    paths.put("caPem", OperatorApi.CA_PEM);
    paths.put("apps", OperatorApi.APPS);
    paths.put("app", OperatorApi.APP);
    paths.put("invalidateTokens", OperatorApi.INVALIDATE_TOKENS);
    paths.put("requests", OperatorApi.REQUESTS);
    paths.put("quotas", OperatorApi.QUOTAS);
    paths.put("media", OperatorApi.MEDIA);
    paths.put("mediaItem", OperatorApi.MEDIA_ITEM);
    paths.put("jssdkVoice", OperatorApi.JSSDK_VOICE);
    paths.put("images", OperatorApi.IMAGES);
    paths.put("imageItem", OperatorApi.IMAGE_ITEM);
    paths.put("clock", OperatorApi.CLOCK);
    paths.put("faults", OperatorApi.FAULTS);
    paths.put("messages", OperatorApi.MESSAGES);
    paths.put("metrics", OperatorApi.METRICS);
    paths.put("mediaUpload", WeChatApi.MEDIA_UPLOAD);
    paths.put("mediaGet", WeChatApi.MEDIA_GET);
    paths.put("mediaGetJssdk", WeChatApi.MEDIA_GET_JSSDK);
    return paths;
  }

  private void measure(Exchange ex) {
    metrics.request(
        ex.endpoint(),
        ex.errcode(),
        ex.elapsedNanos(),
        ex.request().bytesRead(),
        ex.wasDropped() ? 0 : ex.request().response().bytesWritten());
    if (ex.errcode() == 0 && ex.request().method() != HttpMethod.GET) {
      metricsRoutes
          .storageChanged(); // an upload, perhaps: the stored-media gauges are measured again
    }
  }

  /**
   * Takes up the upload_by_url jobs left running: at once on a local state (this server is its only
   * user), and on Redis those whose runner went quiet, checked again every 10 s.
   */
  void startJobs() {
    boolean exclusive = config.state().kind() != TempmediaConfig.StateKind.REDIS;
    vertx
        .executeBlocking(
            () -> {
              byUrl.resume(exclusive);
              return null;
            },
            false)
        .onFailure(e -> LOG.warn("upload_by_url jobs could not be resumed: {}", e.toString()));
    if (!exclusive) {
      vertx.setPeriodic(
          10_000,
          id -> vertx
              .executeBlocking(
                  () -> {
                    byUrl.resume(false);
                    return null;
                  },
                  false)
              .onFailure(
                  e -> LOG.warn("upload_by_url jobs could not be checked: {}", e.toString())));
    }
  }

  /** Closes the storage and the state; Vert.x is closed by the server before this. */
  @Override
  public void close() {
    renditions.close(); // encodings under way are dropped: downloads make them again
    try {
      if (outbox != null) {
        outbox.close(); // before the state store: on Redis it uses the store's client
      }
      byUrl.close();
      blobs.close();
      imageBlobs.close();
    } finally {
      state.close();
    }
  }
}
