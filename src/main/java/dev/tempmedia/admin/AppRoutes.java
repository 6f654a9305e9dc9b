package dev.tempmedia.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.admin.OperatorRoutes.Access;
import dev.tempmedia.auth.App;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.auth.TokenService;
import dev.tempmedia.wechat.Product;
import io.vertx.core.http.HttpMethod;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code apps} (list, create, delete) and {@code tokens/{appid}/invalidate}. A created app's secret is
 * shown once, in the answer that creates it; lists show secrets only of the well-known development
 * apps, which are public anyway.
 */
public final class AppRoutes {
  private static final Pattern APPID = Pattern.compile("wx[0-9a-f]{16}");
  private static final Pattern CORPID = Pattern.compile("ww[0-9a-f]{16}");
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{16,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AppRegistry apps;
  private final TokenService tokens;

  public AppRoutes(AppRegistry apps, TokenService tokens) {
    this.apps = apps;
    this.tokens = tokens;
  }

  public void register(OperatorRoutes routes) {
    routes.json(HttpMethod.GET, "/_tempmedia/apps", Access.ADMIN,
        call -> Map.of("apps", apps.all().stream().map(this::view).toList()));
    routes.json(HttpMethod.POST, "/_tempmedia/apps", Access.ADMIN, this::create);
    routes.json(HttpMethod.DELETE, "/_tempmedia/apps/{id}", Access.ADMIN, this::delete);
    routes.json(HttpMethod.POST, "/_tempmedia/tokens/{id}/invalidate", Access.ADMIN, this::invalidate);
  }

  private Map<String, Object> view(App app) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("product", app.product().wireName());
    m.put(idField(app.product()), app.id());
    AppRegistry.Source source = apps.source(app);
    if (source == AppRegistry.Source.WELL_KNOWN) {
      if (app.product() == Product.WECOM) {
        m.put("secrets", app.secrets());
      } else {
        m.put("secret", app.secrets().get(0));
      }
    }
    m.put("source", source.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    return m;
  }

  private OperatorRoutes.Answer create(AdminCall call) {
    JsonNode body = call.body();
    Product product = Product.fromWireName(body.path("product").asText("")).orElseThrow(() -> AdminError.badRequest(
        "product must be one of " + Arrays.stream(Product.values()).map(Product::wireName).toList()));
    String idField = idField(product);
    String id = body.hasNonNull(idField) ? body.path(idField).asText() : newId(product);
    Pattern idShape = product == Product.WECOM ? CORPID : APPID;
    if (!idShape.matcher(id).matches()) {
      throw AdminError.badRequest(idField + " \"" + id + "\" must look like WeChat's: " + idShape.pattern());
    }
    String secret = body.hasNonNull("secret") ? body.path("secret").asText() : newSecret(product);
    if (!SECRET.matcher(secret).matches()) {
      throw AdminError.badRequest("secret must be 16 to 64 letters, digits, _ or -");
    }
    if (!apps.create(new App(product, id, List.of(secret), null))) {
      throw new AdminError(409, idField + " " + id + " exists already");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("product", product.wireName());
    m.put(idField, id);
    m.put("secret", secret);
    return new OperatorRoutes.Answer(201, m);
  }

  private Map<String, Object> delete(AdminCall call) {
    String id = call.path("id");
    App app = apps.find(id).orElseThrow(() -> AdminError.notFound("no app " + id));
    if (apps.source(app) != AppRegistry.Source.CREATED) {
      throw new AdminError(409, id + " is " + (apps.source(app) == AppRegistry.Source.WELL_KNOWN
          ? "a well-known development app" : "defined in the configuration") + "; only apps created here can be deleted");
    }
    // Its tokens end with it, also if an app with the same id is created again later.
    tokens.invalidateAll(app).toCompletableFuture().join();
    apps.delete(id);
    return Map.of("deleted", id);
  }

  private Map<String, Object> invalidate(AdminCall call) {
    String id = call.path("id");
    App app = apps.find(id).orElseThrow(() -> AdminError.notFound("no app " + id));
    return Map.of("invalidated", tokens.invalidateAll(app).toCompletableFuture().join());
  }

  private static String idField(Product product) {
    return product == Product.WECOM ? "corpid" : "appid";
  }

  private static String newId(Product product) {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return (product == Product.WECOM ? "ww" : "wx") + HexFormat.of().formatHex(bytes);
  }

  /** Shaped like the real ones: 32 hex digits for an AppSecret, 43 base64url characters for a CorpSecret. */
  private static String newSecret(Product product) {
    if (product == Product.WECOM) {
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
