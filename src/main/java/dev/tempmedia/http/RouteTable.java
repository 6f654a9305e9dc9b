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
   * @param name    the path (or prefix) it was declared under: the endpoint's name in metrics
   * @param methods the methods the route serves
   * @param dialect the dialect errors speak before an app is known (gettoken: WeCom's)
   * @param errors  how a failure is written: WeChat's error shape, or the cloud-call one
   */
  public record Entry(String name, Set<HttpMethod> methods, Dialect dialect, Route route, ErrorWriter errors) {}

  /** Writes a failure as the endpoint's clients expect it. */
  @FunctionalInterface
  public interface ErrorWriter {
    void write(Exchange exchange, Throwable failure);
  }

  private final Map<String, Entry> byPath = new HashMap<>();
  private final Map<String, Entry> byPrefix = new java.util.LinkedHashMap<>();

  public RouteTable add(String path, Set<HttpMethod> methods, Dialect dialect, Route route) {
    return add(path, methods, dialect, route, Responder::error);
  }

  public RouteTable add(String path, Set<HttpMethod> methods, Dialect dialect, Route route, ErrorWriter errors) {
    if (byPath.putIfAbsent(path, new Entry(path, Set.copyOf(methods), dialect, route, errors)) != null) {
      throw new IllegalArgumentException("two routes for " + path);
    }
    return this;
  }

  /** A route for every path under {@code prefix} (which ends with "/"); exact paths win. */
  public RouteTable addPrefix(String prefix, Set<HttpMethod> methods, Dialect dialect, Route route) {
    if (!prefix.endsWith("/") || byPrefix.putIfAbsent(prefix, new Entry(prefix, Set.copyOf(methods), dialect, route, Responder::error)) != null) {
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
