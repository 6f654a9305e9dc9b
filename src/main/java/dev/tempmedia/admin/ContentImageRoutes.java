package dev.tempmedia.admin;

import dev.tempmedia.auth.App;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.media.ContentImages;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code images}: an app's content images (those of {@code uploadimg}), which never expire, listed
 * with their URLs and purged one by one.
 */
public final class ContentImageRoutes {
  private final AppRegistry apps;
  private final ContentImages images;
  private final Supplier<String> publicUrl;
  private final Runnable purged;

  /** @param purged told after each purge (the storage gauges measure again) */
  public ContentImageRoutes(
      AppRegistry apps, ContentImages images, Supplier<String> publicUrl, Runnable purged) {
    this.apps = apps;
    this.images = images;
    this.publicUrl = publicUrl;
    this.purged = purged;
  }

  Map<String, Object> list(AdminCall call) throws Exception {
    return Map.of(
        "images",
        images.list(app(call), publicUrl.get()).stream()
            .map(image -> {
              Map<String, Object> v = new LinkedHashMap<>();
              v.put("name", image.name());
              v.put("url", image.url());
              v.put("size", image.meta().size());
              v.put("contentType", image.meta().contentType());
              v.put("createdAt", Instant.ofEpochSecond(image.meta().createdAt()).toString());
              return v;
            })
            .toList());
  }

  Map<String, Object> purge(AdminCall call) throws Exception {
    if (!images.purge(app(call), call.path("name"))) {
      throw AdminError.notFound("image " + call.path("name") + " is already gone");
    }
    purged.run();
    return Map.of("purged", true);
  }

  private App app(AdminCall call) {
    String id = call.requiredQuery("appid");
    return apps.find(id).orElseThrow(() -> AdminError.notFound("no app " + id));
  }
}
