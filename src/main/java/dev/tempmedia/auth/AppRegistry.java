package dev.tempmedia.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tempmedia.config.ConfigValidator;
import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.io.Json;
import dev.tempmedia.state.StateStore;
import dev.tempmedia.wechat.Product;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The apps this server knows, by appid or corpid (the two never collide: both live in one key space).
 * Two kinds: the fixed apps (the configured ones, or the well-known development apps) and the apps
 * created at run time through {@code /_tempmedia/apps}, which live in the {@link StateStore} so that
 * they survive a restart and every instance sharing the state sees them.
 */
public final class AppRegistry {
  /** Where an app comes from; only created apps can be deleted at run time. */
  public enum Source {
    WELL_KNOWN,
    CONFIG,
    CREATED
  }

  private static final ObjectMapper JSON = Json.MAPPER;
  private static final long MAX_PARSED = 10_000;

  private final Map<String, App> fixed = new LinkedHashMap<>();
  private final Source fixedSource;
  private final StateStore created;
  // Created apps are stored as JSON text; parsing it on every token check would be wasteful.
  private final Cache<String, App> parsed =
      Caffeine.newBuilder().maximumSize(MAX_PARSED).build();

  /** Fixed apps only, nothing can be created (tests and tools). */
  public AppRegistry(Collection<App> apps) {
    this(apps, Source.CONFIG, null);
  }

  private AppRegistry(Collection<App> apps, Source fixedSource, StateStore created) {
    apps.forEach(a -> fixed.put(a.id(), a));
    this.fixedSource = fixedSource;
    this.created = created;
  }

  /** The configured apps (in dev mode with none configured, the well-known ones) plus those created at run time. */
  public static AppRegistry fromConfig(TempmediaConfig config, StateStore state) {
    if (config.apps().isEmpty() && config.devMode()) {
      return new AppRegistry(DevApps.ALL, Source.WELL_KNOWN, state);
    }
    List<App> apps = new ArrayList<>();
    for (TempmediaConfig.App a : config.apps()) {
      Product product = Product.fromWireName(a.product()).orElseThrow();
      String id = a.id(product.profile().idField());
      apps.add(new App(product, id, ConfigValidator.secretsOf(a), a.rules()));
    }
    return new AppRegistry(apps, Source.CONFIG, state);
  }

  /**
   * The app with this id: at once for a fixed app; for any other id (any id a client types) from the
   * state store's records, which it caches, so usually at once too.
   */
  public CompletionStage<Optional<App>> lookup(String id) {
    if (id == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    App app = fixed.get(id);
    if (app != null || created == null) {
      return CompletableFuture.completedFuture(Optional.ofNullable(app));
    }
    return created.appRecord(id).thenApply(record -> record.map(this::parse));
  }

  /** {@link #lookup}, waiting for the answer: for worker threads (the operator routes) and tools, never an event loop. */
  public Optional<App> find(String id) {
    try {
      return lookup(id).toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  public Source source(App app) {
    return fixed.containsKey(app.id()) ? fixedSource : Source.CREATED;
  }

  public List<App> all() {
    List<App> all = new ArrayList<>(fixed.values());
    if (created != null) {
      created.appRecords().values().forEach(record -> all.add(parse(record)));
    }
    all.sort(Comparator.comparing(App::id));
    return all;
  }

  /** Adds an app at run time; false when the id is taken (by a fixed or a created app). */
  public boolean create(App app) {
    if (created == null) {
      throw new IllegalStateException("this registry has no state to keep created apps in");
    }
    return !fixed.containsKey(app.id()) && created.putAppRecordIfAbsent(app.id(), format(app));
  }

  /** Removes a created app; false when there is no created app with that id. */
  public boolean delete(String id) {
    return created != null && !fixed.containsKey(id) && created.removeAppRecord(id);
  }

  private App parse(String record) {
    return parsed.get(record, r -> {
      try {
        var node = JSON.readTree(r);
        List<String> secrets = new ArrayList<>();
        node.path("secrets").forEach(s -> secrets.add(s.asText()));
        Product product = Product.fromWireName(node.path("product").asText())
            .orElseThrow(() -> new IOException("unknown product in an app record"));
        return new App(product, node.path("id").asText(), secrets, null);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "a created app's record is unreadable: " + e.getMessage(), e);
      }
    });
  }

  private static String format(App app) {
    ObjectNode node =
        JSON.createObjectNode().put("product", app.product().wireName()).put("id", app.id());
    app.secrets().forEach(node.putArray("secrets")::add);
    return node.toString();
  }
}
