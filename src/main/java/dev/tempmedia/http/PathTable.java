package dev.tempmedia.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server's one router: request paths to endpoints, for both surfaces (the WeChat API and the
 * operator namespace). A pattern is an exact path ({@code /cgi-bin/token}), a path with
 * {@code {placeholder}} segments ({@code /_tempmedia/apps/{id}}), or a prefix ending in {@code /**}
 * ({@code /_tempmedia/video/**}). Exact paths win over placeholders, placeholders over prefixes, and
 * the longest prefix wins among prefixes; two entries for one pattern are a programming error.
 *
 * <p>Hand-written rather than vertx-web's {@code Router}: matching is a map look-up on the hot path,
 * and each surface answers a wrong method in its own way (WeChat's errcode, the operator's 405), which
 * a generic router would decide for it. See docs/architecture.md, "Why some things are hand-written".
 */
public final class PathTable<T> {
  /** What a path found: the pattern it matched (an endpoint's name in metrics), the value and the placeholders' values. */
  public record Match<T>(String pattern, T value, Map<String, String> params) {}

  private record Templated<T>(String pattern, String[] segments, T value) {}

  private final Map<String, T> exact = new HashMap<>();
  private final List<Templated<T>> templated = new ArrayList<>();
  private final Map<String, T> prefixes = new LinkedHashMap<>();
  private final Map<String, T> all = new LinkedHashMap<>();

  public PathTable<T> add(String pattern, T value) {
    if (all.putIfAbsent(pattern, value) != null) {
      throw new IllegalArgumentException("two routes for " + pattern);
    }
    if (pattern.endsWith("/**")) {
      prefixes.put(pattern.substring(0, pattern.length() - 2), value);
      List<Map.Entry<String, T>> sorted = new ArrayList<>(prefixes.entrySet());
      sorted.sort(Comparator.comparingInt((Map.Entry<String, T> e) -> e.getKey().length())
          .reversed());
      prefixes.clear();
      sorted.forEach(e -> prefixes.put(e.getKey(), e.getValue()));
    } else if (pattern.contains("{")) {
      templated.add(new Templated<>(pattern, pattern.split("/"), value));
    } else {
      exact.put(pattern, value);
    }
    return this;
  }

  public Optional<Match<T>> find(String path) {
    T value = exact.get(path);
    if (value != null) {
      return Optional.of(new Match<>(path, value, Map.of()));
    }
    if (!templated.isEmpty()) {
      String[] segments = path.split("/");
      for (Templated<T> t : templated) {
        Map<String, String> params = match(t.segments(), segments);
        if (params != null) {
          return Optional.of(new Match<>(t.pattern(), t.value(), params));
        }
      }
    }
    for (Map.Entry<String, T> p : prefixes.entrySet()) {
      if (path.startsWith(p.getKey())) {
        return Optional.of(new Match<>(p.getKey(), p.getValue(), Map.of()));
      }
    }
    return Optional.empty();
  }

  /** Every pattern, in the order added: what the server serves. */
  public Map<String, T> entries() {
    return java.util.Collections.unmodifiableMap(all);
  }

  /** Null when the path does not fit the pattern; else the {placeholder} values (ids: no decoding needed). */
  private static Map<String, String> match(String[] pattern, String[] segments) {
    if (pattern.length != segments.length) {
      return null;
    }
    Map<String, String> params = null;
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        if (segments[i].isEmpty()) {
          return null;
        }
        if (params == null) {
          params = new HashMap<>();
        }
        params.put(p.substring(1, p.length() - 1), segments[i]);
      } else if (!p.equals(segments[i])) {
        return null;
      }
    }
    return params == null ? Map.of() : params;
  }
}
