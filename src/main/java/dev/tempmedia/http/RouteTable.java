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
  private final Map<String, Entry> byPrefix = new java.util.LinkedHashMap<>();

  public RouteTable add(String path, Set<HttpMethod> methods, Dialect dialect, Route route) {
    if (byPath.putIfAbsent(path, new Entry(Set.copyOf(methods), dialect, route)) != null) {
      throw new IllegalArgumentException("two routes for " + path);
    }
    return this;
  }

  /** A route for every path under {@code prefix} (which ends with "/"); exact paths win. */
  public RouteTable addPrefix(String prefix, Set<HttpMethod> methods, Dialect dialect, Route route) {
    if (!prefix.endsWith("/") || byPrefix.putIfAbsent(prefix, new Entry(Set.copyOf(methods), dialect, route)) != null) {
      throw new IllegalArgumentException("bad or repeated prefix " + prefix);
    }
    return this;
  }

  public Optional<Entry> find(String path) {
    Entry exact = byPath.get(path);
    if (exact != null) {
      return Optional.of(exact);
    }
    for (Map.Entry<String, Entry> e : byPrefix.entrySet()) {
      if (path.startsWith(e.getKey())) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  public Set<String> paths() {
    return byPath.keySet();
  }
}
