package dev.tempmedia.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §11's certificates without a server: the CA made once per directory, the leaf it issues, kept
 * and reused while it is the CA's, names the same hosts and has over 30 days left, and issued again by
 * {@code renewIfDue()} as its end nears — on a clock the test moves.
 */
class ServerCertificatesTest {
  static final Instant T = Instant.parse("2026-03-01T08:00:00Z");
  static final Set<PosixFilePermission> OWNER_ONLY =
      Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  @TempDir
  Path dir;

  /** A clock the test sets. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  final MovableClock clock = new MovableClock(T);

  LocalCa ca() throws IOException {
    return LocalCa.inDirectory(dir, clock);
  }

  static Instant notAfter(X509Certificate c) {
    return c.getNotAfter().toInstant();
  }

  @Test
  void theLeafNamesTheWeChatHostsTheLocalNamesAndTheExtrasForNinetyDays() throws Exception {
    LocalCa ca = ca();
    ServerCertificates certs =
        ServerCertificates.issuedBy(ca, dir, List.of("tempmedia.internal", "10.0.0.7"), clock);
    X509Certificate leaf = certs.current().leaf();
    assertThat(ServerCertificates.namesOf(leaf))
        .containsExactlyInAnyOrder(
            "api.weixin.qq.com",
            "qyapi.weixin.qq.com",
            "file.api.weixin.qq.com",
            "localhost",
            "127.0.0.1",
            "tempmedia.internal",
            "10.0.0.7");
    // 127.0.0.1 and 10.0.0.7 are IP entries (type 7), the rest DNS names (type 2).
    assertThat(leaf.getSubjectAlternativeNames())
        .contains(List.of(7, "127.0.0.1"), List.of(7, "10.0.0.7"), List.of(2, "api.weixin.qq.com"));
    assertThat(notAfter(leaf)).isEqualTo(T.plus(Duration.ofDays(90)));
    assertThat(leaf.getNotBefore().toInstant()).isBefore(T);
    assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    leaf.verify(ca.certificate().getPublicKey());
    assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void renewIfDueIssuesANewLeafOnlyOnceLessThanThirtyDaysAreLeft() throws Exception {
    ServerCertificates certs = ServerCertificates.issuedBy(ca(), dir, List.of(), clock);
    X509Certificate first = certs.current().leaf();

    clock.set(T.plus(Duration.ofDays(10)));
    assertThat(certs.renewIfDue()).isFalse();
    assertThat(certs.current().leaf()).isEqualTo(first);

    clock.set(T.plus(Duration.ofDays(59))); // 31 days left
    assertThat(certs.renewIfDue()).isFalse();

    clock.set(T.plus(Duration.ofDays(61))); // 29 days left
    assertThat(certs.renewIfDue()).isTrue();
    X509Certificate second = certs.current().leaf();
    assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
    assertThat(notAfter(second))
        .isAfter(notAfter(first))
        .isEqualTo(T.plus(Duration.ofDays(61 + 90)));
    // What is on disk is what is served, so the next start reuses it.
    assertThat(Files.readString(dir.resolve(ServerCertificates.LEAF_CERT)))
        .isEqualTo(certs.current().certPem());
    assertThat(certs.renewIfDue()).as("the new leaf is not due").isFalse();
  }

  @Test
  void aStartReusesTheLeafOnDiskWhileItIsGood() throws Exception {
    X509Certificate first =
        ServerCertificates.issuedBy(ca(), dir, List.of(), clock).current().leaf();
    clock.set(T.plus(Duration.ofDays(50)));
    X509Certificate again =
        ServerCertificates.issuedBy(ca(), dir, List.of(), clock).current().leaf();
    assertThat(again).isEqualTo(first);
  }

  @Test
  void aStartIssuesAgainWhenTheLeafOnDiskIsNearItsEnd() throws Exception {
    X509Certificate first =
        ServerCertificates.issuedBy(ca(), dir, List.of(), clock).current().leaf();
    clock.set(T.plus(Duration.ofDays(85)));
    X509Certificate again =
        ServerCertificates.issuedBy(ca(), dir, List.of(), clock).current().leaf();
    assertThat(again.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
    assertThat(notAfter(again)).isEqualTo(T.plus(Duration.ofDays(85 + 90)));
  }

  @Test
  void aStartIssuesAgainWhenTheNamesChanged() throws Exception {
    X509Certificate first =
        ServerCertificates.issuedBy(ca(), dir, List.of(), clock).current().leaf();
    X509Certificate named = ServerCertificates.issuedBy(ca(), dir, List.of("extra.test"), clock)
        .current()
        .leaf();
    assertThat(named.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
    assertThat(ServerCertificates.namesOf(named)).contains("extra.test");
  }

  @Test
  void aStartIssuesAgainWhenTheLeafOnDiskIsAnotherCasOrUnreadable(@TempDir Path elsewhere)
      throws Exception {
    X509Certificate mine =
        ServerCertificates.issuedBy(ca(), dir, List.of(), clock).current().leaf();
    LocalCa other = LocalCa.inDirectory(elsewhere, clock);
    X509Certificate fromOther =
        ServerCertificates.issuedBy(other, dir, List.of(), clock).current().leaf();
    assertThat(fromOther.getSerialNumber()).isNotEqualTo(mine.getSerialNumber());
    fromOther.verify(other.certificate().getPublicKey());

    Files.writeString(dir.resolve(ServerCertificates.LEAF_CERT), "not a certificate");
    X509Certificate repaired =
        ServerCertificates.issuedBy(other, dir, List.of(), clock).current().leaf();
    assertThat(repaired.getSerialNumber()).isNotEqualTo(fromOther.getSerialNumber());
    repaired.verify(other.certificate().getPublicKey());
  }

  @Test
  void theCaIsMadeOnceAndItsKeyIsTheOwnersOnly() throws Exception {
    LocalCa made = ca();
    clock.set(T.plus(Duration.ofDays(400)));
    LocalCa loaded = ca();
    assertThat(loaded.certificate()).isEqualTo(made.certificate());
    assertThat(Files.getPosixFilePermissions(dir.resolve(LocalCa.KEY_FILE))).isEqualTo(OWNER_ONLY);
    assertThat(Files.getPosixFilePermissions(dir.resolve(LocalCa.CERT_FILE)))
        .contains(PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_READ);
    ServerCertificates.issuedBy(loaded, dir, List.of(), clock);
    assertThat(Files.getPosixFilePermissions(dir.resolve(ServerCertificates.LEAF_KEY)))
        .isEqualTo(OWNER_ONLY);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary file is left behind")
          .containsExactlyInAnyOrder("ca.pem", "ca.key", "leaf.pem", "leaf.key");
    }
  }

  @Test
  void aConfiguredCertificateIsServedAsGivenAndNeverRenewed(@TempDir Path elsewhere)
      throws Exception {
    LocalCa.Leaf given =
        LocalCa.inDirectory(elsewhere, clock).issue(List.of("custom.test"), T, Duration.ofDays(10));
    Path cert = Files.writeString(dir.resolve("server.pem"), given.certPem());
    Path key = Files.writeString(dir.resolve("server.key"), given.keyPem());
    ServerCertificates certs = ServerCertificates.configured(cert, key);
    assertThat(certs.current().certPem()).isEqualTo(given.certPem());
    assertThat(certs.current().keyPem()).isEqualTo(given.keyPem());
    assertThat(certs.current().leaf()).isEqualTo(given.certificate());
    assertThat(certs.names()).isEmpty();
    // Ten days is well inside the renewal window of an issued leaf: a configured one stays.
    assertThat(certs.renewIfDue()).isFalse();
    assertThat(certs.current().leaf()).isEqualTo(given.certificate());
  }

  @Test
  void aConfiguredCertificateWithAnUnreadableKeyFailsAtOnce() throws Exception {
    LocalCa.Leaf given = ca().issue(List.of("custom.test"), T, Duration.ofDays(10));
    Path cert = Files.writeString(dir.resolve("server.pem"), given.certPem());
    Path key = Files.writeString(dir.resolve("server.key"), "-----BEGIN NOTHING-----\n");
    assertThatThrownBy(() -> ServerCertificates.configured(cert, key))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aConfiguredCaMustBeACa() throws Exception {
    LocalCa.Leaf leaf = ca().issue(List.of("custom.test"), T, Duration.ofDays(10));
    Path cert = Files.writeString(dir.resolve("not-a-ca.pem"), leaf.certPem());
    Path key = Files.writeString(dir.resolve("not-a-ca.key"), leaf.keyPem());
    assertThatThrownBy(() -> LocalCa.load(cert, key))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a CA certificate");
  }
}
