package dev.tempmedia.http;

import dev.tempmedia.wechat.Dialect;
import io.vertx.core.http.HttpMethod;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Exact paths to routes, one line per route where they are declared. */
public final class RouteTable {
  /**
   * @param methods the methods the route serves
   * @param dialect the dialect errors speak before an app is known (gettoken: WeCom's)
   */
  public record Entry(Set<HttpMethod> methods, Dialect dialect, Route route) {}

  private final Map<String, Entry> byPath = new HashMap<>();

  public RouteTable add(String path, Set<HttpMethod> methods, Dialect dialect, Route route) {
    if (byPath.putIfAbsent(path, new Entry(Set.copyOf(methods), dialect, route)) != null) {
      throw new IllegalArgumentException("two routes for " + path);
    }
    return this;
  }

  public Optional<Entry> find(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  public Set<String> paths() {
    return byPath.keySet();
  }
}
