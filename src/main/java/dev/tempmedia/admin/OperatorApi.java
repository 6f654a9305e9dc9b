package dev.tempmedia.admin;

import static dev.tempmedia.admin.OperatorRoute.json;
import static dev.tempmedia.admin.OperatorRoute.raw;
import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.HEAD;
import static io.vertx.core.http.HttpMethod.POST;

import dev.tempmedia.admin.OperatorRoutes.Access;
import dev.tempmedia.admin.console.ConsolePages;
import dev.tempmedia.http.Route;
import dev.tempmedia.http.WeChatRoute;
import dev.tempmedia.media.ContentImages;
import dev.tempmedia.media.VideoLinks;
import dev.tempmedia.wechat.Dialect;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The operator namespace in one table (SPEC §7–§8): every method and path pattern, who may call it,
 * and what answers it. The path constants are the ones the banner, the tests and (through
 * {@code GET /_tempmedia/info}) the console use. The WeChat API has its own table,
 * {@link dev.tempmedia.http.WeChatApi}.
 */
public final class OperatorApi {
  /** Every path under it belongs to the operator; one no row names answers an empty 404. */
  public static final String NAMESPACE = "/_tempmedia/";

  public static final String HEALTH = "/_tempmedia/health";
  public static final String INFO = "/_tempmedia/info";
  /** The local CA's certificate (PEM), open to anyone: clients trust it to reach HTTPS and the proxy. */
  public static final String CA_PEM = "/_tempmedia/ca.pem";

  public static final String QUOTAS = "/_tempmedia/quotas";
  public static final String APPS = "/_tempmedia/apps";
  public static final String APP = "/_tempmedia/apps/{id}";
  public static final String INVALIDATE_TOKENS = "/_tempmedia/tokens/{id}/invalidate";
  public static final String REQUESTS = "/_tempmedia/requests";
  public static final String MEDIA = "/_tempmedia/media";
  public static final String MEDIA_ITEM = "/_tempmedia/media/{mediaId}";
  /** Makes a voice as the JS-SDK's wx.uploadVoice would from an audio file; answers its serverId. */
  public static final String JSSDK_VOICE = "/_tempmedia/jssdk/voice";

  public static final String CLOCK = "/_tempmedia/clock";
  public static final String FAULTS = "/_tempmedia/faults";
  /** The outbox: the messages the send endpoints accepted (dev mode). */
  public static final String MESSAGES = "/_tempmedia/messages";

  public static final String METRICS = "/metrics";
  public static final String CONSOLE = ConsolePages.PATH;
  public static final String VIDEO_LINKS = VideoLinks.PATH_PREFIX;
  /** Content images (uploadimg): served without a token, listed and purged by the operator. */
  public static final String IMAGE_LINKS = ContentImages.PATH_PREFIX;

  public static final String IMAGES = "/_tempmedia/images";
  public static final String IMAGE_ITEM = "/_tempmedia/images/{name}";

  private OperatorApi() {}

  /**
   * What answers the rows. {@code clock}, {@code faults} and {@code messages} are null in prod, where those rows do not
   * exist (404); {@code videoLink} is the WeChat route that serves signed video links.
   */
  public record Groups(
      HealthRoutes health,
      AppRoutes apps,
      InspectorRoutes inspector,
      QuotaRoutes quotas,
      CaRoutes ca,
      MediaAdminRoutes media,
      MetricsRoutes metrics,
      ClockRoutes clock,
      FaultRoutes faults,
      OutboxRoutes messages,
      ConsolePages console,
      Route videoLink,
      ContentImageRoutes images,
      Route imageLink) {}

  /** @param metricsOpen whether {@code /metrics} answers without the admin token ({@code admin.metricsOpen}) */
  public static List<OperatorRoute> routes(Groups g, boolean metricsOpen) {
    List<OperatorRoute> routes = new ArrayList<>(List.of(
        raw(GET, HEALTH, Access.OPEN, g.health()::health),
        json(GET, INFO, Access.ADMIN, g.health()::info),
        raw(GET, CA_PEM, Access.OPEN, g.ca()::pem),
        json(GET, APPS, Access.ADMIN, g.apps()::list),
        json(POST, APPS, Access.ADMIN, g.apps()::create),
        json(DELETE, APP, Access.ADMIN, g.apps()::delete),
        json(POST, INVALIDATE_TOKENS, Access.ADMIN, g.apps()::invalidate),
        json(GET, REQUESTS, Access.ADMIN, g.inspector()::list),
        json(GET, QUOTAS, Access.ADMIN, g.quotas()::list),
        json(GET, MEDIA, Access.ADMIN, g.media()::list),
        raw(POST, MEDIA, Access.ADMIN, g.media()::upload),
        raw(GET, MEDIA_ITEM, Access.ADMIN, g.media()::download),
        raw(POST, JSSDK_VOICE, Access.ADMIN, g.media()::jssdkVoice),
        json(DELETE, MEDIA_ITEM, Access.ADMIN, g.media()::purge),
        json(GET, IMAGES, Access.ADMIN, g.images()::list),
        json(DELETE, IMAGE_ITEM, Access.ADMIN, g.images()::purge),
        raw(GET, METRICS, metricsOpen ? Access.OPEN : Access.ADMIN, g.metrics()::scrape),
        // The console's files are open: a browser cannot send a bearer header when it opens a page.
        new OperatorRoute.Pages(CONSOLE, g.console()),
        new OperatorRoute.Pages(CONSOLE + "/**", g.console()),
        // Signed links need no token; they are observed and answered like the API's own download.
        new OperatorRoute.Exchange(
            VIDEO_LINKS + "**",
            WeChatRoute.of(
                VIDEO_LINKS, Set.of(GET, HEAD), Dialect.OFFICIAL_ACCOUNT, g.videoLink())),
        // Content images are public like WeChat's own image links: the random name is the secret.
        new OperatorRoute.Exchange(
            IMAGE_LINKS + "**",
            WeChatRoute.of(
                IMAGE_LINKS, Set.of(GET, HEAD), Dialect.OFFICIAL_ACCOUNT, g.imageLink()))));
    if (g.clock() != null) {
      routes.add(json(GET, CLOCK, Access.ADMIN, g.clock()::view));
      routes.add(json(POST, CLOCK, Access.ADMIN, g.clock()::move));
    }
    if (g.faults() != null) {
      routes.add(json(GET, FAULTS, Access.ADMIN, g.faults()::list));
      routes.add(json(POST, FAULTS, Access.ADMIN, g.faults()::add));
      routes.add(json(DELETE, FAULTS, Access.ADMIN, g.faults()::clear));
    }
    if (g.messages() != null) {
      routes.add(json(GET, MESSAGES, Access.ADMIN, g.messages()::list));
      routes.add(json(DELETE, MESSAGES, Access.ADMIN, g.messages()::clear));
    }
    return routes;
  }
}
