package dev.tempmedia.auth;

import dev.tempmedia.config.ConfigValidator;
import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.wechat.Product;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The apps this server knows, by appid or corpid (the two never collide: both live in one map). */
public final class AppRegistry {
  private final Map<String, App> byId = new ConcurrentHashMap<>();

  public AppRegistry(Collection<App> apps) {
    apps.forEach(this::put);
  }

  /** The configured apps; in dev mode with none configured, the well-known development apps. */
  public static AppRegistry fromConfig(TempmediaConfig config) {
    if (config.apps().isEmpty() && config.devMode()) {
      return new AppRegistry(DevApps.ALL);
    }
    List<App> apps = new ArrayList<>();
    for (TempmediaConfig.App a : config.apps()) {
      Product product = Product.fromWireName(a.product()).orElseThrow();
      String id = product == Product.WECOM ? a.corpid() : a.appid();
      apps.add(new App(product, id, ConfigValidator.secretsOf(a), a.rules()));
    }
    return new AppRegistry(apps);
  }

  public Optional<App> find(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
  }

  public void put(App app) {
    byId.put(app.id(), app);
  }

  public boolean remove(String id) {
    return byId.remove(id) != null;
  }

  public List<App> all() {
    return byId.values().stream().sorted(Comparator.comparing(App::id)).toList();
  }
}
