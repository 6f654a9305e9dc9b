package dev.tempmedia.admin.console;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web console: a few static files (plain HTML, CSS and ES modules) kept in the jar under
 * {@code dev/tempmedia/console/} and read once, at construction. {@code /_tempmedia/console} and
 * {@code /_tempmedia/console/} answer the page; {@code /_tempmedia/console/NAME} answers one of the
 * files named in {@link #FILES} and nothing else, so no request path ever reaches the class path.
 *
 * <p>The files hold no secrets and are served without the admin token: a browser cannot send a
 * bearer header when it opens a page. The page itself asks for the token when an API call answers
 * 401 and sends it with every call.
 */
public final class ConsolePages implements Handler<HttpServerRequest> {
  public static final String PATH = "/_tempmedia/console";
  private static final String RESOURCES = "dev/tempmedia/console/";

  /** Every file the console has: nothing else under the console path is ever looked up. */
  static final List<String> FILES = List.of(
      "index.html",
      "style.css",
      "favicon.svg",
      "app.js",
      "api.js",
      "state.js",
      "i18n.js",
      "ui.js",
      "apps.js",
      "media.js",
      "requests.js",
      "messages.js",
      "devtools.js");

  /**
   * Scripts, styles and API calls come only from this server; images and players also take the blob
   * URLs the page makes of media fetched with the admin token.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' blob: data:; "
      + "media-src 'self' blob:; script-src 'self'; style-src 'self'; connect-src 'self'; "
      + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private record Asset(Buffer bytes, String contentType, String etag) {}

  private final Map<String, Asset> assets;

  public ConsolePages() {
    this(ConsolePages.class.getClassLoader());
  }

  ConsolePages(ClassLoader loader) {
    Map<String, Asset> loaded = new LinkedHashMap<>();
    for (String name : FILES) {
      byte[] bytes = read(loader, RESOURCES + name);
      loaded.put(name, new Asset(Buffer.buffer(bytes), contentType(name), etag(bytes)));
    }
    this.assets = Map.copyOf(loaded);
  }

  @Override
  public void handle(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    Asset asset = find(request.path());
    if (asset == null) {
      response.setStatusCode(404).putHeader(HttpHeaders.CONTENT_LENGTH, "0").end();
      return;
    }
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      response
          .setStatusCode(405)
          .putHeader(HttpHeaders.ALLOW, "GET, HEAD")
          .putHeader(HttpHeaders.CONTENT_LENGTH, "0")
          .end();
      return;
    }
    response
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader(HttpHeaders.ETAG, asset.etag())
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    if (asset.contentType().startsWith("text/html")) {
      response.putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    }
    String ifNoneMatch = request.getHeader(HttpHeaders.IF_NONE_MATCH);
    if (ifNoneMatch != null && matches(ifNoneMatch, asset.etag())) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType());
    if (request.method() == HttpMethod.HEAD) {
      response
          .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(asset.bytes().length()))
          .end();
    } else {
      response.end(asset.bytes());
    }
  }

  private Asset find(String path) {
    if (path.equals(PATH) || path.equals(PATH + "/")) {
      return assets.get("index.html");
    }
    if (!path.startsWith(PATH + "/")) {
      return null;
    }
    return assets.get(path.substring(PATH.length() + 1));
  }

  static String contentType(String name) {
    String extension = name.substring(name.lastIndexOf('.') + 1);
    return switch (extension) {
      case "html" -> "text/html; charset=utf-8";
      case "js" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "svg" -> "image/svg+xml";
      default -> throw new IllegalArgumentException("no media type for " + name);
    };
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals("*") || tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the console file " + resource + " is missing from the class path");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
