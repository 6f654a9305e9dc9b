package dev.tempmedia.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The certificate the HTTPS listener and the proxy's tunnels serve (SPEC §11): the one configured
 * ({@code server.https.cert}/{@code key}, served as given), or a leaf of the local CA for the WeChat
 * hosts, localhost, 127.0.0.1 and {@code server.https.names}. The leaf is kept beside the CA
 * ({@code leaf.pem}, {@code leaf.key} owner-only) and reused on the next start while it is the CA's,
 * names the same hosts and has more than {@link #RENEW_BEFORE} to run; otherwise, and whenever
 * {@link #renewIfDue} finds it so, a new one is issued.
 */
public final class ServerCertificates {
  /** The hosts WeChat's SDKs hard-code: the API, WeCom's API, and the old file host of media. */
  public static final List<String> WECHAT_HOSTS =
      List.of("api.weixin.qq.com", "qyapi.weixin.qq.com", "file.api.weixin.qq.com");

  static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1");
  /** How long an issued leaf is valid (well under the 398 days clients accept). */
  public static final Duration LEAF_VALIDITY = Duration.ofDays(90);
  /** A leaf with less than this left is issued again. */
  public static final Duration RENEW_BEFORE = Duration.ofDays(30);

  static final String LEAF_CERT = "leaf.pem";
  static final String LEAF_KEY = "leaf.key";

  private final LocalCa ca;
  private final Path dir;
  private final List<String> names;
  private final Clock clock;
  private volatile Served current;

  /** What is served: the PEM chain and key, and the leaf itself. */
  public record Served(String certPem, String keyPem, X509Certificate leaf) {}

  private ServerCertificates(LocalCa ca, Path dir, List<String> names, Clock clock, Served fixed) {
    this.ca = ca;
    this.dir = dir;
    this.names = names;
    this.clock = clock;
    this.current = fixed;
  }

  /** A configured certificate and key, served as they are: never renewed here. */
  public static ServerCertificates configured(Path certFile, Path keyFile) throws IOException {
    String cert = Files.readString(certFile);
    String key = Files.readString(keyFile);
    Pem.privateKey(key); // fails early on a key it cannot read
    return new ServerCertificates(
        null,
        null,
        List.of(),
        Clock.systemUTC(),
        new Served(cert, key, Pem.certificates(cert).get(0)));
  }

  /** Leaves of {@code ca} for the WeChat hosts, the local names and {@code extraNames}, kept in {@code dir}. */
  public static ServerCertificates issuedBy(
      LocalCa ca, Path dir, Collection<String> extraNames, Clock clock) throws IOException {
    Set<String> all = new LinkedHashSet<>(WECHAT_HOSTS);
    all.addAll(LOCAL_NAMES);
    all.addAll(extraNames);
    ServerCertificates certs = new ServerCertificates(ca, dir, List.copyOf(all), clock, null);
    certs.current = certs.reuseOrIssue();
    return certs;
  }

  public Served current() {
    return current;
  }

  /** The names an issued leaf carries (empty for a configured certificate). */
  public List<String> names() {
    return names;
  }

  /**
   * Issues a new leaf when the current one nears its end ({@link #RENEW_BEFORE}); true when it did,
   * so the listeners can take it up. A configured certificate is never renewed.
   */
  public boolean renewIfDue() throws IOException {
    if (ca == null || !due(current.leaf(), clock.instant())) {
      return false;
    }
    current = issue();
    return true;
  }

  private Served reuseOrIssue() throws IOException {
    Path certFile = dir.resolve(LEAF_CERT);
    Path keyFile = dir.resolve(LEAF_KEY);
    if (Files.exists(certFile) && Files.exists(keyFile)) {
      try {
        String cert = Files.readString(certFile);
        String key = Files.readString(keyFile);
        X509Certificate leaf = Pem.certificates(cert).get(0);
        Pem.privateKey(key);
        if (issuedByCa(leaf)
            && namesOf(leaf).equals(Set.copyOf(names))
            && !due(leaf, clock.instant())) {
          return new Served(cert, key, leaf);
        }
      } catch (IOException unreadable) {
        // issued again below
      }
    }
    return issue();
  }

  private Served issue() throws IOException {
    LocalCa.Leaf leaf = ca.issue(names, clock.instant(), LEAF_VALIDITY);
    Pem.writeSecret(dir.resolve(LEAF_KEY), leaf.keyPem());
    Pem.writePublic(dir.resolve(LEAF_CERT), leaf.certPem());
    return new Served(leaf.certPem(), leaf.keyPem(), leaf.certificate());
  }

  private static boolean due(X509Certificate leaf, Instant now) {
    return leaf.getNotAfter().toInstant().minus(RENEW_BEFORE).isBefore(now);
  }

  private boolean issuedByCa(X509Certificate leaf) {
    try {
      leaf.verify(ca.certificate().getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The DNS names and IP addresses of a certificate's subjectAltName. */
  static Set<String> namesOf(X509Certificate cert) {
    List<String> found = new ArrayList<>();
    try {
      Collection<List<?>> alt = cert.getSubjectAlternativeNames();
      if (alt != null) {
        for (List<?> entry : alt) {
          found.add(String.valueOf(entry.get(1)));
        }
      }
    } catch (java.security.cert.CertificateParsingException e) {
      return Set.of();
    }
    return Set.copyOf(found);
  }
}
