package dev.tempmedia.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.auth.App;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.auth.TokenService;
import dev.tempmedia.wechat.Product;
import dev.tempmedia.wechat.ProductProfile;
import java.util.Arrays;
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
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{16,64}");

  private final AppRegistry apps;
  private final TokenService tokens;

  public AppRoutes(AppRegistry apps, TokenService tokens) {
    this.apps = apps;
    this.tokens = tokens;
  }

  Map<String, Object> list(AdminCall call) {
    return Map.of("apps", apps.all().stream().map(this::view).toList());
  }

  private Map<String, Object> view(App app) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("product", app.product().wireName());
    m.put(app.product().profile().idField().wireName(), app.id());
    AppRegistry.Source source = apps.source(app);
    if (source == AppRegistry.Source.WELL_KNOWN) {
      if (app.product().profile().severalSecrets()) {
        m.put("secrets", app.secrets());
      } else {
        m.put("secret", app.secrets().get(0));
      }
    }
    m.put("source", source.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    return m;
  }

  OperatorRoutes.Answer create(AdminCall call) {
    JsonNode body = call.body();
    Product product = Product.fromWireName(body.path("product").asText(""))
        .orElseThrow(() -> AdminError.badRequest("product must be one of "
            + Arrays.stream(Product.values()).map(Product::wireName).toList()));
    ProductProfile profile = product.profile();
    String idField = profile.idField().wireName();
    String id = body.hasNonNull(idField) ? body.path(idField).asText() : profile.newId();
    Pattern idShape = profile.idPattern();
    if (!idShape.matcher(id).matches()) {
      throw AdminError.badRequest(
          idField + " \"" + id + "\" must look like WeChat's: " + idShape.pattern());
    }
    String secret = body.hasNonNull("secret") ? body.path("secret").asText() : profile.newSecret();
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

  Map<String, Object> delete(AdminCall call) {
    String id = call.path("id");
    App app = apps.find(id).orElseThrow(() -> AdminError.notFound("no app " + id));
    if (apps.source(app) != AppRegistry.Source.CREATED) {
      throw new AdminError(
          409,
          id + " is "
              + (apps.source(app) == AppRegistry.Source.WELL_KNOWN
                  ? "a well-known development app"
                  : "defined in the configuration")
              + "; only apps created here can be deleted");
    }
    // Its tokens end with it, also if an app with the same id is created again later.
    tokens.invalidateAll(app).toCompletableFuture().join();
    apps.delete(id);
    return Map.of("deleted", id);
  }

  Map<String, Object> invalidate(AdminCall call) {
    String id = call.path("id");
    App app = apps.find(id).orElseThrow(() -> AdminError.notFound("no app " + id));
    return Map.of("invalidated", tokens.invalidateAll(app).toCompletableFuture().join());
  }
}
