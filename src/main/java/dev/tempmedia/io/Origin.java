package dev.tempmedia.io;

import java.net.URI;

/**
 * The scheme, host and port of a URL: what a pool of kept-alive connections is kept per (the
 * relay's connections to the store, the upload PUTs').
 */
public record Origin(boolean https, String host, int port) {
  /** The origin of {@code url}, its port the scheme's default when the URL names none. */
  public static Origin of(URI url) {
    boolean https = "https".equalsIgnoreCase(url.getScheme());
    int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
    return new Origin(https, url.getHost(), port);
  }
}
