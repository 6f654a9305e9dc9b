package dev.tempmedia.compat.hardcoded;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * wecom-sdk 1.2.7 (cn.felord), which hard-codes {@code https://qyapi.weixin.qq.com}, unchanged: it
 * reaches tempmedia only through the forward proxy (SPEC §11), by the JVM's proxy properties and a
 * JVM trust store that holds tempmedia's CA.
 *
 * <p>Its class path: the SDK uses {@code PropertyNamingStrategy.SNAKE_CASE}, which jackson-databind
 * 2.20 removed, so on this test class path (the server's Jackson 2.21) its first call fails with
 * {@code NoSuchFieldError: SNAKE_CASE}. {@link WecomSdkDriver} therefore runs in a class loader of
 * its own whose parent is the platform loader: the SDK's runtime jars as it resolves alone (its
 * Jackson 2.15.2; copied to {@code target/wecom-sdk-lib} by the build) and the driver's class file.
 *
 * <p>Its proxy: the SDK has no proxy option; OkHttp asks {@code ProxySelector.getDefault()}, the
 * JDK's selector, which reads {@code https.proxyHost}/{@code https.proxyPort} on every connection.
 * Those are what an application would pass with {@code -D}, so the test uses them rather than a
 * selector of its own, and sets them only around the driver's call: they are JVM-wide, and other
 * test classes run in this fork later (surefire runs the classes of a fork one after another).
 * The JDK's default {@code http.nonProxyHosts} keeps loopback direct meanwhile, and the server's
 * proxy refuses any host but WeChat's, so nothing else could be sent through it by mistake.
 *
 * <p>Its trust: no SSL setting either; each OkHttpClient takes the JVM's default trust managers
 * when it is built, so {@link JvmTrustStore} is installed around the same call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardCodedHostWecomSdkTest {
  TestServer server;
  JvmTrustStore trustStore;

  @BeforeAll
  void start(@TempDir Path data, @TempDir Path keys) throws Exception {
    server = new TestServer(data, Map.of("server.proxy.port", "0"));
    assertThat(server.server().proxyPort()).isPositive();
    trustStore =
        JvmTrustStore.withDefaultRootsAnd(server.get("/_tempmedia/ca.pem").body(), keys);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void tokenUploadAndByteIdenticalDownloadThroughTheProxy() throws Exception {
    byte[] jpeg = MediaSamples.jpeg(120, 80);
    Map<String, Object> answer = callDriver(
        sdkClassLoader(),
        "tokenUploadGet",
        TestServer.CORP,
        TestServer.CORP_SECRET,
        "photo.jpg",
        jpeg);

    assertThat(answer.get("jackson")).as("the SDK ran on its own Jackson").isEqualTo("2.15.2");
    assertThat(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString())
        .as("while the test's class path has the server's")
        .startsWith("2.21");
    assertThat((String) answer.get("token")).as("access_token").isNotBlank();
    assertThat(answer.get("type")).isEqualTo("image");
    assertThat((String) answer.get("mediaId")).isNotBlank();
    assertThat(answer.get("createdAt")).as("created_at as an Instant").isNotEqualTo("null");
    assertThat(answer.get("contentType")).isEqualTo("image/jpeg");
    assertThat((byte[]) answer.get("bytes")).as("downloaded bytes").isEqualTo(jpeg);

    assertThat(seen())
        .containsExactly(
            "GET /cgi-bin/gettoken proxy-connect 0",
            "POST /cgi-bin/media/upload proxy-connect 0",
            "GET /cgi-bin/media/get proxy-connect 0");
  }

  /**
   * Calls a static method of the driver in {@code loader}, with the JVM proxy properties and the
   * trust store set for exactly that long, and the loader as the thread's context loader.
   */
  @SuppressWarnings("unchecked")
  Map<String, Object> callDriver(ClassLoader loader, String method, Object... args)
      throws Exception {
    Class<?> driver = Class.forName(WecomSdkDriver.class.getName(), true, loader);
    assertThat(driver.getClassLoader()).as("the driver's own copy").isSameAs(loader);
    Method m = Stream.of(driver.getMethods())
        .filter(x -> x.getName().equals(method))
        .findFirst()
        .orElseThrow();
    Thread thread = Thread.currentThread();
    ClassLoader context = thread.getContextClassLoader();
    String proxyHost = System.getProperty("https.proxyHost");
    String proxyPort = System.getProperty("https.proxyPort");
    System.setProperty("https.proxyHost", "127.0.0.1");
    System.setProperty("https.proxyPort", String.valueOf(server.server().proxyPort()));
    Runnable restoreTrust = trustStore.install();
    try {
      thread.setContextClassLoader(loader);
      return (Map<String, Object>) m.invoke(null, args);
    } catch (InvocationTargetException e) {
      throw new AssertionError("wecom-sdk failed: " + e.getCause(), e.getCause());
    } finally {
      thread.setContextClassLoader(context);
      restoreTrust.run();
      JvmTrustStore.restore("https.proxyHost", proxyHost);
      JvmTrustStore.restore("https.proxyPort", proxyPort);
    }
  }

  /**
   * The SDK's jars and the driver's class files, over the platform loader (no test class path).
   *
   * <p>Never closed: OkHttp's daemon threads (its HTTP/2 readers, the connection pool's cleanup)
   * go on after the driver returns, and load classes from it as they close their connections
   * (closed at once, a reader failed with {@code NoClassDefFoundError: kotlin/jvm/internal/Ref$IntRef}
   * when the server hung up). The loader goes when those threads end, a minute after their last
   * task.
   */
  static URLClassLoader sdkClassLoader() throws Exception {
    Path lib = Path.of(System.getProperty("wecom.sdk.lib", "target/wecom-sdk-lib"));
    List<URL> urls = new ArrayList<>();
    try (Stream<Path> jars = Files.list(lib)) {
      for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
        urls.add(jar.toUri().toURL());
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new AssertionError(
          lib + " is missing: it is copied in process-test-resources (./mvnw test-compile)", e);
    }
    assertThat(urls)
        .as("wecom-sdk's jars in %s", lib)
        .anySatisfy(u -> assertThat(u.getPath()).endsWith("/wecom-sdk-1.2.7.jar"))
        .anySatisfy(u -> assertThat(u.getPath()).endsWith("/jackson-databind-2.15.2.jar"));
    urls.add(WecomSdkDriver.class.getProtectionDomain().getCodeSource().getLocation());
    return new URLClassLoader(
        "wecom-sdk", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }

  /** The corp's requests in the inspector, oldest first: method, path, via, errcode. */
  List<String> seen() {
    JsonNode records =
        json(server.get("/_tempmedia/requests?appid=" + TestServer.CORP)).path("requests");
    List<String> out = new ArrayList<>();
    records.forEach(
        r -> out.add(r.path("method").asText() + " " + r.path("path").asText() + " "
            + r.path("via").asText() + " " + r.path("errcode").asText()));
    Collections.reverse(out); // the inspector lists newest first
    return out;
  }
}
