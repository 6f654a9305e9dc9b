package dev.tempmedia.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.testing.TestServer;
import dev.tempmedia.testing.Tls;
import dev.tempmedia.tls.LocalCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tempmedia ca export} (SPEC §11): the PEM it writes is the one {@code GET
 * /_tempmedia/ca.pem} serves for the same data directory, made there first when there is none, and
 * a client trusting it accepts the HTTPS leaf; a configured {@code ca.cert} is exported instead.
 */
class CaExportTest {
  @TempDir
  Path data;

  @TempDir
  Path work;

  @Test
  void exportWritesTheSamePemTheServerServesAndItsLeafVerifies() throws Exception {
    try (TestServer server = new TestServer(data, Map.of("server.https.port", "0"))) {
      Path out = work.resolve("ca.pem");
      CliRun run = CliRun.of("ca", "export", "-o", out.toString(), "--data", data.toString());
      assertThat(run.exit()).as(run.toString()).isZero();
      assertThat(run.out()).as("-o writes nothing to stdout").isEmpty();
      String exported = Files.readString(out);
      assertThat(exported).isEqualTo(server.get("/_tempmedia/ca.pem").body());
      try (SSLSocket tls = Tls.handshake(
          Tls.trusting(exported), server.server().httpsPort(), "qyapi.weixin.qq.com")) {
        assertThat(tls.getSession().getPeerCertificates()).isNotEmpty();
      }
    }
  }

  @Test
  void exportToStdoutBeforeAnyServerMakesTheCaTheServerThenUses() {
    CliRun run = CliRun.of("ca", "export", "--data", data.toString());
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Tls.certificates(run.out())).hasSize(1);
    assertThat(Files.exists(data.resolve("ca/ca.key"))).isTrue();
    try (TestServer server = new TestServer(data)) {
      assertThat(server.get("/_tempmedia/ca.pem").body()).isEqualTo(run.out());
    }
    // And a second export is the same CA, not a new one.
    assertThat(CliRun.of("ca", "export", "--data", data.toString()).out()).isEqualTo(run.out());
  }

  @Test
  void aConfiguredCaIsExported(@TempDir Path own) throws Exception {
    LocalCa company = LocalCa.inDirectory(own, Clock.systemUTC());
    Path config = Files.writeString(
        work.resolve("tempmedia.yaml"),
        "ca:\n  cert: " + own.resolve("ca.pem") + "\n  key: " + own.resolve("ca.key") + "\n");
    CliRun run =
        CliRun.of("ca", "export", "--config", config.toString(), "--data", data.toString());
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo(company.certificatePem());
    assertThat(Files.exists(data.resolve("ca")))
        .as("no CA is made in the data directory")
        .isFalse();
  }

  @Test
  void aBadConfigurationExitsTwoAndNamesTheKey() throws Exception {
    Path config = Files.writeString(work.resolve("bad.yaml"), "ca:\n  cert: /nowhere/ca.pem\n");
    CliRun run = CliRun.of("ca", "export", "--config", config.toString());
    assertThat(run.exit()).as(run.toString()).isEqualTo(2);
    assertThat(run.err()).contains("ca.cert and ca.key");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void theBannerNamesTheHttpsAndProxyPortsAndWhereToGetTheCa() {
    try (TestServer server =
        new TestServer(data, Map.of("server.https.port", "0", "server.proxy.port", "0"))) {
      String banner = ServeCommand.banner(server.server());
      assertThat(banner)
          .contains("https: https://127.0.0.1:" + server.server().httpsPort()
              + " (a leaf of the local CA until ")
          .contains("proxy: 127.0.0.1:" + server.server().proxyPort() + " answers for")
          .contains("trust: " + server.server().baseUrl() + "/_tempmedia/ca.pem");
    }
    try (TestServer plain = new TestServer(work.resolve("d"))) {
      assertThat(ServeCommand.banner(plain.server()))
          .doesNotContain("https:")
          .doesNotContain("proxy:")
          .doesNotContain("trust:");
    }
  }

  @Test
  void aFileThatCannotBeWrittenIsAMessageAndExitThree() {
    Path nowhere = work.resolve("no/such/dir/ca.pem");
    CliRun run = CliRun.of("ca", "export", "-o", nowhere.toString(), "--data", data.toString());
    assertThat(run.exit()).as(run.toString()).isEqualTo(3);
    assertThat(run.err()).startsWith("tempmedia: cannot write " + nowhere).doesNotContain("\tat ");
  }
}
