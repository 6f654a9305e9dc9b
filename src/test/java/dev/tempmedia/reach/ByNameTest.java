package dev.tempmedia.reach;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Prerequisites;
import dev.tempmedia.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §11 without any proxy: clients that call {@code https://api.weixin.qq.com} and
 * {@code https://qyapi.weixin.qq.com} by name reach tempmedia because a hosts file maps those names
 * to it, and trust it because they were given its CA ({@code tempmedia ca export}). The clients run
 * in a network namespace of the test's own ({@link NetworkNamespace}), whose hosts file maps both
 * names to the host end of a veth pair, where the server listens with HTTPS on 443. They have no
 * proxy setting and no route anywhere but that pair, so a request that arrives came by name, and the
 * inspector records it as {@code via: "https"} from the namespace's address.
 */
class ByNameTest {
  private static final List<String> NAMES = List.of("api.weixin.qq.com", "qyapi.weixin.qq.com");

  @TempDir
  static Path dir;

  private static NetworkNamespace ns;
  private static TestServer server;
  private static Path curl;
  private static Path ca;

  @BeforeAll
  static void start() throws Exception {
    curl = Prerequisites.require("curl", "apt-get install curl");
    ns = NetworkNamespace.create(NAMES);
    // On 443 of the host end: a name in a hosts file carries no port, so the port has to be the
    // one https:// means. Taken already is a failure, not a reason to skip.
    try {
      server = new TestServer(
          dir.resolve("data"), Map.of("server.host", ns.hostAddress(), "server.https.port", "443"));
    } catch (RuntimeException e) {
      throw new AssertionError(
          "tempmedia could not listen on " + ns.hostAddress()
              + " (HTTPS on 443, the API on a free port); is port 443 taken there?",
          e);
    }
    assertThat(server.server().httpsPort()).isEqualTo(443);

    ca = dir.resolve("ca.pem");
    int exit = dev.tempmedia.cli.Main.execute(
        "ca", "export", "-o", ca.toString(), "--data", dir.resolve("data").toString());
    assertThat(exit).as("tempmedia ca export").isZero();
    assertThat(Files.readString(ca))
        .startsWith("-----BEGIN CERTIFICATE-----")
        .isEqualTo(server.get("/_tempmedia/ca.pem").body());
  }

  @AfterAll
  static void stop() {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      if (ns != null) {
        ns.close();
      }
    }
  }

  @Test
  void curlInTheNamespaceGetsATokenUploadsAndDownloadsByNameOverHttps() throws Exception {
    Set<String> before = rids();
    JsonNode token =
        json(curlOk("https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential"
            + "&appid=" + TestServer.OA + "&secret=" + TestServer.OA_SECRET));
    String accessToken = token.path("access_token").asText();
    assertThat(accessToken).as(token.toString()).isNotEmpty();
    assertThat(token.path("expires_in").asInt()).isEqualTo(7200);

    byte[] png = MediaSamples.png(120, 90);
    Path file = Files.write(dir.resolve("by-name.png"), png);
    JsonNode up = json(curlOk(
        "https://api.weixin.qq.com/cgi-bin/media/upload?access_token=" + accessToken
            + "&type=image",
        "-F",
        "media=@" + file));
    String mediaId = up.path("media_id").asText();
    assertThat(mediaId).as(up.toString()).isNotEmpty();
    assertThat(up.path("type").asText()).isEqualTo("image");

    Path got = dir.resolve("got.png");
    curlOk(
        "https://api.weixin.qq.com/cgi-bin/media/get?access_token=" + accessToken + "&media_id="
            + mediaId,
        "-o",
        got.toString());
    assertThat(Files.readAllBytes(got)).isEqualTo(png);

    List<JsonNode> seen = since(before);
    assertThat(seen)
        .extracting(r -> r.path("method").asText() + " " + r.path("path").asText() + " "
            + r.path("appid").asText() + " " + r.path("via").asText() + " "
            + r.path("errcode").asInt())
        .containsExactly(
            "GET /cgi-bin/token " + TestServer.OA + " https 0",
            "POST /cgi-bin/media/upload " + TestServer.OA + " https 0",
            "GET /cgi-bin/media/get " + TestServer.OA + " https 0");

    // The upload came from inside the namespace, across the pair: rid/get names its client.
    HttpResponse<String> explained = server.postJson(
        "/cgi-bin/openapi/rid/get?access_token=" + accessToken,
        "{\"rid\":\"" + seen.get(1).path("rid").asText() + "\"}");
    assertThat(json(explained).path("request").path("client_ip").asText())
        .as(explained.body())
        .isEqualTo(ns.innerAddress());
  }

  @Test
  void curlInTheNamespaceGetsAWeComTokenFromQyapiByName() {
    Set<String> before = rids();
    JsonNode token = json(curlOk("https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid="
        + TestServer.CORP + "&corpsecret=" + TestServer.CORP_SECRET));
    assertThat(token.path("errcode").asInt()).as(token.toString()).isZero();
    assertThat(token.path("access_token").asText()).isNotEmpty();
    assertThat(since(before))
        .extracting(r -> r.path("path").asText() + " " + r.path("appid").asText() + " "
            + r.path("via").asText())
        .containsExactly("/cgi-bin/gettoken " + TestServer.CORP + " https");
  }

  @Test
  void trustingAnotherCaCurlRefusesTheCertificateAndNothingIsServed() {
    // Another data directory's CA: a CA like tempmedia's, but not the one this server's leaf is of.
    Path other = dir.resolve("other-ca.pem");
    int exit = dev.tempmedia.cli.Main.execute(
        "ca", "export", "-o", other.toString(), "--data", dir.resolve("other").toString());
    assertThat(exit).as("tempmedia ca export").isZero();
    Set<String> before = rids();
    NetworkNamespace.Result r = curl(
        "https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid="
            + TestServer.OA + "&secret=" + TestServer.OA_SECRET,
        other);
    // 60: the peer's certificate cannot be verified with the CA certificates curl was given.
    assertThat(r.exit()).as(r.output()).isEqualTo(60);
    assertThat(since(before)).isEmpty();
  }

  /**
   * A JVM in the namespace with the CA in a trust store of its own (keytool -importcert; the JVM's
   * standard javax.net.ssl.trustStore) and java.net.http's defaults: no proxy, HTTP/2 by ALPN.
   */
  @Test
  void aJvmInTheNamespaceTrustingTheCaGetsBothTokensByName() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Path store = dir.resolve("ca.p12");
    Files.deleteIfExists(store);
    NetworkNamespace.Result imported = NetworkNamespace.run(List.of(
        keytool.toString(),
        "-importcert",
        "-noprompt",
        "-alias",
        "tempmedia-ca",
        "-file",
        ca.toString(),
        "-keystore",
        store.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit"));
    assertThat(imported.exit()).as(imported.output()).isZero();
    Path classes = Path.of(
        JvmClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());

    Set<String> before = rids();
    NetworkNamespace.Result r = ns.exec(
        Map.of(),
        java.toString(),
        "-Djavax.net.ssl.trustStore=" + store,
        "-Djavax.net.ssl.trustStorePassword=changeit",
        "-Djavax.net.ssl.trustStoreType=PKCS12",
        "-cp",
        classes.toString(),
        JvmClient.class.getName(),
        "https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid="
            + TestServer.OA + "&secret=" + TestServer.OA_SECRET,
        "https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=" + TestServer.CORP + "&corpsecret="
            + TestServer.CORP_SECRET);
    assertThat(r.exit()).as(r.output()).isZero();
    List<String> lines = r.output().lines().filter(l -> l.startsWith("200 ")).toList();
    assertThat(lines).as(r.output()).hasSize(2);
    for (String line : lines) {
      String[] parts = line.split(" ");
      assertThat(parts[1]).as(line).isEqualTo("HTTP_2");
      JsonNode body = json(new String(Base64.getDecoder().decode(parts[2])));
      assertThat(body.path("access_token").asText()).as(body.toString()).isNotEmpty();
    }
    assertThat(since(before))
        .extracting(x -> x.path("path").asText() + " " + x.path("via").asText())
        .containsExactly("/cgi-bin/token https", "/cgi-bin/gettoken https");
  }

  /** The client the JVM in the namespace runs: each URL's status, HTTP version and base64 body. */
  static final class JvmClient {
    public static void main(String[] args) throws Exception {
      HttpClient http =
          HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      for (String url : args) {
        HttpResponse<byte[]> r = http.send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
        System.out.println(r.statusCode() + " " + r.version() + " "
            + Base64.getEncoder().encodeToString(r.body()));
      }
    }
  }

  /** curl in the namespace with the exported CA, no proxy (none in its environment, no .curlrc): its body. */
  private static String curlOk(String url, String... more) {
    NetworkNamespace.Result r = curl(url, ca, more);
    assertThat(r.exit()).as("curl " + url + ": " + r.output()).isZero();
    return r.output();
  }

  private static NetworkNamespace.Result curl(String url, Path trusted, String... more) {
    List<String> command = new ArrayList<>(List.of(
        curl.toString(),
        "-q",
        "-sS",
        "--fail-with-body",
        "--connect-timeout",
        "10",
        "--max-time",
        "30",
        "--cacert",
        trusted.toString()));
    command.addAll(List.of(more));
    command.add(url);
    return ns.exec(Map.of(), command.toArray(String[]::new));
  }

  private static Set<String> rids() {
    Set<String> rids = new HashSet<>();
    for (JsonNode r : inspector()) {
      rids.add(r.path("rid").asText());
    }
    return rids;
  }

  /** The inspector's records not in {@code before}, oldest first. */
  private static List<JsonNode> since(Set<String> before) {
    List<JsonNode> fresh = new ArrayList<>();
    for (JsonNode r : inspector()) {
      if (!before.contains(r.path("rid").asText())) {
        fresh.add(0, r);
      }
    }
    return fresh;
  }

  private static JsonNode inspector() {
    HttpResponse<String> r = server.get("/_tempmedia/requests?limit=1000");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).path("requests");
  }
}
