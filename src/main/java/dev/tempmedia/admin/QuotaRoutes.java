package dev.tempmedia.admin;

import dev.tempmedia.auth.App;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.quota.QuotaService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code quotas}: each app's daily quotas today, path by path (limit, used, remain), and when they
 * reset. {@code ?appid=} narrows it to one app. Runs on a worker thread, so it may wait for Redis.
 */
public final class QuotaRoutes {
  private final AppRegistry apps;
  private final QuotaService quotas;

  public QuotaRoutes(AppRegistry apps, QuotaService quotas) {
    this.apps = apps;
    this.quotas = quotas;
  }

  Map<String, Object> list(AdminCall call) throws Exception {
    String appid = call.query("appid");
    List<App> chosen;
    if (appid == null) {
      chosen = apps.all();
    } else {
      chosen = List.of(apps.find(appid).orElseThrow(() -> AdminError.notFound("no app " + appid)));
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (App app : chosen) {
      List<Map<String, Object>> paths = new ArrayList<>();
      for (String path : quotas.limitedPaths(app.id())) {
        QuotaService.Usage u =
            quotas.usage(app.id(), path).toCompletableFuture().get();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("path", path);
        row.put("dailyLimit", u.dailyLimit());
        row.put("used", u.used());
        row.put("remain", u.remain());
        paths.add(row);
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("appid", app.id());
      entry.put("product", app.product().wireName());
      entry.put("quotas", paths);
      out.add(entry);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("resetsAt", quotas.nextReset());
    answer.put("apps", out);
    return answer;
  }
}
