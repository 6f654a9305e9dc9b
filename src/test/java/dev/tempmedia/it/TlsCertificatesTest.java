package dev.tempmedia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempmedia.testing.RawHttp;
import dev.tempmedia.testing.TestServer;
import dev.tempmedia.testing.Tls;
import dev.tempmedia.tls.LocalCa;
import dev.tempmedia.tls.ServerCertificates;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §11's certificates as a client meets them: the leaf on the HTTPS port and at the end of a
 * CONNECT tunnel verifies, for each WeChat host by SNI and host-name check, against the CA that {@code
 * GET /_tempmedia/ca.pem} serves; it is valid by the real clock and for serverAuth; the keys on disk are
 * the owner's only; the CA survives a restart; a leaf near its end is issued again on start; a
 * configured certificate is served as given.
 */
class TlsCertificatesTest {
  static final List<String> WECHAT_HOSTS =
      List.of("api.weixin.qq.com", "qyapi.weixin.qq.com", "file.api.weixin.qq.com");
  /** Every name the issued leaf carries when server.https.names is empty. */
  static final List<String> LEAF_NAMES = List.of(
      "api.weixin.qq.com",
      "qyapi.weixin.qq.com",
      "file.api.weixin.qq.com",
      "localhost",
      "127.0.0.1");

  static final Map<String, String> TLS_ON =
      Map.of("server.https.port", "0", "server.proxy.port", "0");
  static final Set<PosixFilePermission> OWNER_ONLY =
      Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  @TempDir
  Path data;

  TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  String caPem() {
    HttpResponse<String> r = server.get("/_tempmedia/ca.pem");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/x-pem-file");
    return r.body();
  }

  static X509Certificate peer(SSLSocket socket) throws IOException {
    return (X509Certificate) socket.getSession().getPeerCertificates()[0];
  }

  /** The leaf the HTTPS port serves to a client of {@code host} that trusts {@code trust}. */
  X509Certificate httpsLeaf(SSLContext trust, String host) throws IOException {
    try (SSLSocket tls = Tls.handshake(trust, server.server().httpsPort(), host)) {
      return peer(tls);
    }
  }

  static void validNowForServerAuth(X509Certificate leaf, X509Certificate ca) throws Exception {
    Date now = new Date(); // the real clock, not the server's
    assertThat(leaf.getNotBefore()).isBeforeOrEqualTo(now);
    assertThat(leaf.getNotAfter()).isAfterOrEqualTo(now);
    assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
    leaf.verify(ca.getPublicKey());
  }

  @Test
  void theHttpsLeafVerifiesAgainstTheServedCaForEachWeChatHost() throws Exception {
    server = new TestServer(data, TLS_ON);
    String pem = caPem();
    List<X509Certificate> ca = Tls.certificates(pem);
    assertThat(ca).as("ca.pem is the CA certificate alone").hasSize(1);
    assertThat(ca.get(0).getBasicConstraints()).isGreaterThanOrEqualTo(0);
    SSLContext trust = Tls.trusting(pem);
    for (String host : WECHAT_HOSTS) {
      try (SSLSocket tls = Tls.handshake(trust, server.server().httpsPort(), host)) {
        validNowForServerAuth(peer(tls), ca.get(0));
        // And it is tempmedia answering, over that very connection.
        RawHttp.Response answer = Tls.exchange(
            tls,
            RawHttp.head(
                "GET /cgi-bin/token?grant_type=client_credential&appid=" + TestServer.OA
                    + "&secret=" + TestServer.OA_SECRET + " HTTP/1.1",
                "Host: " + host));
        assertThat(answer.json().path("access_token").asText()).as(host).isNotEmpty();
      }
    }
  }

  @Test
  void theLeafAtTheEndOfAConnectTunnelIsTheSameAndVerifiesForEachWeChatHost() throws Exception {
    server = new TestServer(data, TLS_ON);
    String pem = caPem();
    X509Certificate ca = Tls.certificates(pem).get(0);
    SSLContext trust = Tls.trusting(pem);
    X509Certificate direct = httpsLeaf(trust, "api.weixin.qq.com");
    for (String host : WECHAT_HOSTS) {
      try (Tls.Tunnel tunnel = Tls.connect(server.server().proxyPort(), host + ":443")) {
        assertThat(tunnel.response().status()).isEqualTo(200);
        try (SSLSocket tls = Tls.handshake(trust, tunnel.socket(), host, List.of())) {
          X509Certificate leaf = peer(tls);
          validNowForServerAuth(leaf, ca);
          assertThat(leaf).isEqualTo(direct);
        }
      }
    }
  }

  @Test
  void aHostTheLeafDoesNotNameFailsTheHostNameCheck() {
    server = new TestServer(data, TLS_ON);
    SSLContext trust = Tls.trusting(caPem());
    assertThatThrownBy(() -> httpsLeaf(trust, "api.weixin.qq.com.evil.example"))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void serverHttpsNamesAreOnTheLeaf() throws Exception {
    server = TestServer.withConfig(
        data, "server:\n  https:\n    port: 0\n    names: [ tempmedia.internal ]\n");
    X509Certificate leaf = httpsLeaf(Tls.trusting(caPem()), "tempmedia.internal");
    assertThat(leaf.getSubjectAlternativeNames().stream().map(e -> (Object) e.get(1)))
        .contains("tempmedia.internal", "api.weixin.qq.com");
  }

  @Test
  void keysAreTheOwnersOnlyAndTheCaCertificateIsReadable() throws Exception {
    server = new TestServer(data, TLS_ON);
    Path dir = data.resolve("ca");
    assertThat(Files.getPosixFilePermissions(dir.resolve("ca.key"))).isEqualTo(OWNER_ONLY);
    assertThat(Files.getPosixFilePermissions(dir.resolve("leaf.key"))).isEqualTo(OWNER_ONLY);
    assertThat(Files.getPosixFilePermissions(dir.resolve("ca.pem")))
        .contains(PosixFilePermission.OWNER_READ, PosixFilePermission.OTHERS_READ);
    assertThat(Files.readString(dir.resolve("ca.pem"))).isEqualTo(caPem());
  }

  @Test
  void theCaAndTheLeafSurviveARestart() throws Exception {
    server = new TestServer(data, TLS_ON);
    String before = caPem();
    X509Certificate leafBefore = httpsLeaf(Tls.trusting(before), "api.weixin.qq.com");
    server.restart();
    String after = caPem();
    assertThat(after).isEqualTo(before);
    // Clients that trusted the CA still do, and the leaf (80+ days left) is reused, not re-issued.
    assertThat(httpsLeaf(Tls.trusting(after), "api.weixin.qq.com")).isEqualTo(leafBefore);
  }

  /** Puts a leaf of the data directory's CA with {@code daysLeft} to run where the server keeps its leaf. */
  X509Certificate preWrittenLeaf(int daysLeft) throws IOException {
    Path dir = data.resolve("ca");
    LocalCa ca = LocalCa.inDirectory(dir, Clock.systemUTC());
    Instant now = Instant.now();
    LocalCa.Leaf leaf = ca.issue(
        LEAF_NAMES,
        now.minus(ServerCertificates.LEAF_VALIDITY).plus(Duration.ofDays(daysLeft)),
        ServerCertificates.LEAF_VALIDITY);
    Files.writeString(dir.resolve("leaf.pem"), leaf.certPem());
    Path key = dir.resolve("leaf.key");
    Files.writeString(key, leaf.keyPem());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    return leaf.certificate();
  }

  @Test
  void aLeafOnDiskThatEndsInFiveDaysIsIssuedAgainOnStart() throws Exception {
    X509Certificate old = preWrittenLeaf(5);
    server = new TestServer(data, TLS_ON);
    String pem = caPem();
    X509Certificate served = httpsLeaf(Tls.trusting(pem), "api.weixin.qq.com");
    assertThat(served.getSerialNumber()).isNotEqualTo(old.getSerialNumber());
    assertThat(served.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(89)));
    validNowForServerAuth(served, Tls.certificates(pem).get(0));
    // The new one replaced the old on disk.
    assertThat(Tls.certificates(Files.readString(data.resolve("ca/leaf.pem"))).get(0))
        .isEqualTo(served);
  }

  /** The control for the test above: the same pre-written leaf with 60 days left is served as it is. */
  @Test
  void aLeafOnDiskWithSixtyDaysLeftIsServedAsItIs() throws Exception {
    X509Certificate kept = preWrittenLeaf(60);
    server = new TestServer(data, TLS_ON);
    assertThat(httpsLeaf(Tls.trusting(caPem()), "api.weixin.qq.com")).isEqualTo(kept);
  }

  /** The leaf a client of {@code host} meets at the end of a CONNECT tunnel, offering h2 first. */
  SSLSocket tunnelTls(SSLContext trust, String host) throws IOException {
    Tls.Tunnel tunnel = Tls.connect(server.server().proxyPort(), host + ":443");
    assertThat(tunnel.response().status()).isEqualTo(200);
    return Tls.handshake(trust, tunnel.socket(), host, List.of("h2", "http/1.1"));
  }

  /**
   * The 6-hourly check while the server runs: a fresh leaf is left alone; one with five days left is
   * issued again and both TLS listeners take up the new one, ALPN and all. The server reads the real
   * clock for certificates, so the test makes the served leaf old instead: it puts a leaf of the same
   * CA that ends in five days in {@link ServerCertificates}' {@code current} field (reflection: there
   * is no other way in, and the listeners keep serving the original until a renewal replaces it).
   */
  @Test
  void theRunningServerRenewsALeafNearItsEndAndBothListenersServeTheNewOne() throws Exception {
    server = new TestServer(data, TLS_ON);
    SSLContext trust = Tls.trusting(caPem());
    X509Certificate original = httpsLeaf(trust, "api.weixin.qq.com");

    server.server().renewCertificateNow();
    Thread.sleep(500);
    assertThat(httpsLeaf(trust, "api.weixin.qq.com"))
        .as("a fresh leaf is kept")
        .isEqualTo(original);

    ServerCertificates certs = server.server().certificates();
    LocalCa.Leaf old = LocalCa.inDirectory(data.resolve("ca"), Clock.systemUTC())
        .issue(
            LEAF_NAMES, Instant.now().minus(Duration.ofDays(85)), ServerCertificates.LEAF_VALIDITY);
    java.lang.reflect.Field current = ServerCertificates.class.getDeclaredField("current");
    current.setAccessible(true);
    current.set(
        certs, new ServerCertificates.Served(old.certPem(), old.keyPem(), old.certificate()));

    server.server().renewCertificateNow();
    X509Certificate renewed = certs.current().leaf();
    for (int i = 0; i < 100 && renewed.equals(old.certificate()); i++) {
      Thread.sleep(50);
      renewed = certs.current().leaf();
    }
    assertThat(renewed.getSerialNumber())
        .isNotEqualTo(old.certificate().getSerialNumber())
        .isNotEqualTo(original.getSerialNumber());
    assertThat(renewed.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(89)));
    // The listeners are updated just after the new leaf is issued: wait for the HTTPS port to show
    // it.
    X509Certificate served = httpsLeaf(trust, "api.weixin.qq.com");
    for (int i = 0; i < 100 && !served.equals(renewed); i++) {
      Thread.sleep(50);
      served = httpsLeaf(trust, "api.weixin.qq.com");
    }
    assertThat(served).isEqualTo(renewed);
    try (SSLSocket https = Tls.handshake(
            trust,
            new java.net.Socket("127.0.0.1", server.server().httpsPort()),
            "qyapi.weixin.qq.com",
            List.of("h2", "http/1.1"));
        SSLSocket tunnelled = tunnelTls(trust, "file.api.weixin.qq.com")) {
      assertThat(https.getApplicationProtocol()).as("ALPN survives the update").isEqualTo("h2");
      assertThat(peer(tunnelled)).isEqualTo(renewed);
      assertThat(tunnelled.getApplicationProtocol()).isEqualTo("h2");
    }
    assertThat(Tls.certificates(Files.readString(data.resolve("ca/leaf.pem"))).get(0))
        .as("the next start reuses it")
        .isEqualTo(renewed);
  }

  @Test
  void aConfiguredCertificateIsServedOnHttpsAndInTheTunnels(@TempDir Path own) throws Exception {
    LocalCa company = LocalCa.inDirectory(own, Clock.systemUTC());
    LocalCa.Leaf given = company.issue(
        List.of("api.weixin.qq.com", "qyapi.weixin.qq.com", "media.corp.example"),
        Instant.now(),
        Duration.ofDays(20));
    Path cert = Files.writeString(own.resolve("server.pem"), given.certPem());
    Path key = Files.writeString(own.resolve("server.key"), given.keyPem());
    Map<String, String> flags = new HashMap<>(TLS_ON);
    flags.put("server.https.cert", cert.toString());
    flags.put("server.https.key", key.toString());
    server = new TestServer(data, flags);

    SSLContext trustCompany = Tls.trusting(company.certificatePem());
    assertThat(httpsLeaf(trustCompany, "media.corp.example")).isEqualTo(given.certificate());
    try (Tls.Tunnel tunnel = Tls.connect(server.server().proxyPort(), "qyapi.weixin.qq.com:443");
        SSLSocket tls =
            Tls.handshake(trustCompany, tunnel.socket(), "qyapi.weixin.qq.com", List.of())) {
      assertThat(peer(tls)).isEqualTo(given.certificate());
    }
    // Twenty days left would renew an issued leaf; a configured one is never replaced.
    assertThat(server.server().certificates().renewIfDue()).isFalse();
    // A client that trusts only the local CA does not accept the configured certificate.
    assertThatThrownBy(() -> httpsLeaf(Tls.trusting(caPem()), "api.weixin.qq.com"))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void withoutTlsListenersNoLeafIsIssuedButCaPemIsStillServed() throws Exception {
    server = new TestServer(data);
    assertThat(server.server().httpsPort()).isEqualTo(-1);
    assertThat(server.server().proxyPort()).isEqualTo(-1);
    assertThat(server.server().certificates()).isNull();
    String pem = caPem();
    assertThat(Tls.certificates(pem)).hasSize(1);
    List<String> files = new ArrayList<>();
    try (var listing = Files.list(data.resolve("ca"))) {
      listing.forEach(p -> files.add(p.getFileName().toString()));
    }
    assertThat(files).containsExactlyInAnyOrder("ca.pem", "ca.key");
  }
}
