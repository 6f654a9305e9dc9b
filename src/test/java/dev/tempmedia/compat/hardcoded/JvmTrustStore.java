package dev.tempmedia.compat.hardcoded;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The JVM trust store an application points at tempmedia's CA: a PKCS12 file named by {@code
 * javax.net.ssl.trustStore}, {@code trustStorePassword} and {@code trustStoreType}, as one would
 * pass them with {@code -D} (SPEC §11, "JVM trust store").
 *
 * <p>Those properties are JVM-wide and surefire runs other test classes in the same fork, so the
 * store holds every root the JVM trusted before <em>and</em> the CA: whatever else builds an SSL
 * context meanwhile (or caches {@code SSLContext.getDefault()} with it) trusts exactly what it did
 * before, plus one test CA. The properties are set only while a client builds its trust managers
 * ({@link #install}), and put back afterwards; the JDK reads them anew each time trust managers are
 * made from the defaults ({@code TrustManagerFactory.init((KeyStore) null)}), which is what both
 * SDKs do.
 */
final class JvmTrustStore {
  static final String PASSWORD = "changeit";
  private static final String[] PROPERTIES = {
    "javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword", "javax.net.ssl.trustStoreType"
  };

  private final Path file;

  private JvmTrustStore(Path file) {
    this.file = file;
  }

  /** The JVM's current roots and the CA of {@code caPem}, written to {@code dir/truststore.p12}. */
  static JvmTrustStore withDefaultRootsAnd(String caPem, Path dir)
      throws IOException, GeneralSecurityException {
    X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int n = 0;
    for (X509Certificate root : defaultRoots()) {
      store.setCertificateEntry("jdk-" + n++, root);
    }
    store.setCertificateEntry("tempmedia-ca", ca);
    Path file = dir.resolve("truststore.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, PASSWORD.toCharArray());
    }
    return new JvmTrustStore(file);
  }

  /** What the JVM trusts now, by the same lookup the SDKs' clients use. */
  private static X509Certificate[] defaultRoots() throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509TrustManager x509) {
        return x509.getAcceptedIssuers();
      }
    }
    throw new IllegalStateException("no X509TrustManager among the JVM's defaults");
  }

  /** Sets the three properties; running the answer puts back the values they had. */
  Runnable install() {
    Map<String, String> before = new LinkedHashMap<>();
    for (String p : PROPERTIES) {
      before.put(p, System.getProperty(p));
    }
    System.setProperty("javax.net.ssl.trustStore", file.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    return () -> before.forEach(JvmTrustStore::restore);
  }

  static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
