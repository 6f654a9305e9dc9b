package dev.tempmedia.server;

import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.tls.LocalCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Where the local CA comes from: {@code ca.cert}/{@code ca.key} when configured, else
 * {@code <storage.path>/ca/}, made there the first time anything needs it (a TLS listener, {@code GET
 * /_tempmedia/ca.pem}, {@code tempmedia ca export}) and the same CA on every start after.
 */
public final class CaSource {
  private final TempmediaConfig config;
  private volatile LocalCa ca;

  public CaSource(TempmediaConfig config) {
    this.config = config;
  }

  /** The directory the CA (when not configured) and the issued leaf are kept in. */
  public Path directory() {
    return Path.of(config.storage().path()).resolve("ca");
  }

  public synchronized LocalCa get() {
    if (ca == null) {
      try {
        TempmediaConfig.Ca configured = config.ca();
        ca = configured.cert() != null && !configured.cert().isBlank()
            ? LocalCa.load(Path.of(configured.cert()), Path.of(configured.key()))
            : LocalCa.inDirectory(directory(), Clock.systemUTC());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open the local CA: " + e.getMessage(), e);
      }
    }
    return ca;
  }
}
