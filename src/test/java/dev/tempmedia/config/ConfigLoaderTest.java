package dev.tempmedia.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempmedia.config.TempmediaConfig.Mode;
import dev.tempmedia.config.TempmediaConfig.RuleSetName;
import dev.tempmedia.config.TempmediaConfig.StateKind;
import dev.tempmedia.config.TempmediaConfig.StorageKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("tempmedia.yaml");
    Files.writeString(file, text);
    return file;
  }

  private static TempmediaConfig load(
      Path file, Map<String, String> env, Map<String, String> flags) {
    return ConfigValidator.validate(ConfigLoader.load(file, env, flags));
  }

  @Test
  void defaultsAreDevOnLocalhost8080() {
    TempmediaConfig c = load(null, Map.of(), Map.of());
    assertThat(c.mode()).isEqualTo(Mode.DEV);
    assertThat(c.server().host()).isEqualTo("127.0.0.1");
    assertThat(c.server().port()).isEqualTo(8080);
    assertThat(c.storage().kind()).isEqualTo(StorageKind.LOCAL);
    assertThat(c.storage().path()).isEqualTo("./tempmedia-data");
    assertThat(c.storage().fsync()).isTrue();
    assertThat(c.state().kind()).isEqualTo(StateKind.LOCAL);
    assertThat(c.rules()).isEqualTo(RuleSetName.CURRENT);
    assertThat(c.apps()).isEmpty();
  }

  @Test
  void fileThenEnvThenFlagsWin() throws IOException {
    Path file = yaml("""
        server: { port: 9000, host: 0.0.0.0 }
        storage: { s3: { bucket: media } }
        rules: classic-2013
        """);
    TempmediaConfig c = load(
        file,
        Map.of(
            "TEMPMEDIA_SERVER_PORT",
            "9100",
            "TEMPMEDIA_STORAGE_S3_BUCKET",
            "other",
            "TEMPMEDIA_STORAGE_S3_ACCESS_KEY",
            "ak",
            "TEMPMEDIA_STORAGE_FSYNC",
            "false",
            "PATH",
            "/bin"),
        Map.of("server.port", "9200"));
    assertThat(c.server().port()).isEqualTo(9200);
    assertThat(c.server().host()).isEqualTo("0.0.0.0");
    assertThat(c.storage().s3().bucket()).isEqualTo("other");
    assertThat(c.storage().s3().accessKey()).isEqualTo("ak");
    assertThat(c.storage().s3().region()).as("untouched nested default").isEqualTo("us-east-1");
    assertThat(c.storage().fsync()).isFalse();
    assertThat(c.rules()).isEqualTo(RuleSetName.CLASSIC_2013);
  }

  @Test
  void appsFromFile() throws IOException {
    Path file = yaml("""
        mode: prod
        admin: { token: t0ps3cret }
        apps:
          - { product: official-account, appid: wxa, secret: s1, rules: classic-2013 }
          - { product: mini-program, appid: wxb, secret: s2 }
          - { product: wecom, corpid: wwc, secrets: [s3, s4] }
        """);
    TempmediaConfig c = load(file, Map.of(), Map.of());
    assertThat(c.apps()).hasSize(3);
    assertThat(c.apps().get(2).secrets()).containsExactly("s3", "s4");
    assertThat(c.apps().get(0).rules()).isEqualTo(RuleSetName.CLASSIC_2013);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unknown top key|colour: blue|unknown key 'colour'",
        "unknown nested key|server: { prot: 1 }|unknown key 'server.prot'",
        "bad port type|server: { port: eighty }|key 'server.port'",
        "bad boolean|storage: { fsync: maybe }|key 'storage.fsync'",
        "bad mode|mode: staging|key 'mode'",
        "bad storage kind|storage: { kind: nfs }|key 'storage.kind'",
        "port out of range|server: { port: 70000 }|server.port",
        "prod without admin token|mode: prod|admin.token",
        "prod without apps|mode: prod|apps: prod mode needs at least one app",
        "bad product|apps: [ { product: weibo, appid: x, secret: y } ]|apps[0].product",
        "wecom named by appid|apps: [ { product: wecom, appid: x, secret: y } ]|apps[0].corpid",
        "missing secret|apps: [ { product: official-account, appid: wxa } ]|needs a non-empty secret",
        "duplicate app|apps: [ { product: official-account, appid: wxa, secret: a }, { product: mini-program, appid: wxa, secret: b } ]|configured twice",
        "short signing key|security: { signingKey: c2hvcnQ= }|security.signingKey: too short",
        "redis uri|state: { kind: redis, uri: 'http://x' }|state.uri",
        "not a mapping|- a list|must hold a YAML mapping",
        "zero idle timeout|server: { idleTimeout: 0 }|server.idleTimeout: 0 is not a positive number",
        "negative idle timeout|server: { idleTimeout: -1 }|server.idleTimeout: -1 is not a positive number",
        "idle timeout in words|server: { idleTimeout: soon }|key 'server.idleTimeout'",
        "bad mp3 delivery|voice: { mp3Delivery: wav }|key 'voice.mp3Delivery': 'wav' is not a valid value; use one of amr, original",
        "allowed host as a URL|uploadByUrl: { allowedHosts: [ 'http://x' ] }|uploadByUrl.allowedHosts[0]",
        "https cert without key|server: { https: { cert: /etc/hostname } }|server.https.cert and server.https.key: give both",
        "https key without cert|server: { https: { key: /etc/hostname } }|server.https.cert and server.https.key: give both",
        "https port out of range|server: { https: { port: 70000 } }|server.https.port: 70000 is not a port",
        "negative https port|server: { https: { port: -1 } }|server.https.port: -1 is not a port",
        "https port in words|server: { https: { port: secure } }|key 'server.https.port'",
        "proxy port out of range|server: { proxy: { port: 65536 } }|server.proxy.port: 65536 is not a port",
        "unknown https key|server: { https: { certificate: x } }|unknown key 'server.https.certificate'",
        "unreadable https cert|server: { https: { cert: /no/such.pem, key: /no/such.key } }|'/no/such.pem' (server.https / ca) cannot be read",
        "ca cert without key|ca: { cert: /etc/hostname }|ca.cert and ca.key: give both",
        "https name with a space|server: { https: { names: [ 'my host' ] } }|server.https.names[0]: 'my host' is not a host name",
        "cloudRun appid not an id|cloudRun: { appid: 'wx 1' }|cloudRun.appid: 'wx 1' is not an app id",
        "negative memory cache|storage: { kind: s3, s3: { memoryCacheMb: -1 } }|storage.s3.memoryCacheMb: -1 is negative",
        "memory cache in words|storage: { s3: { memoryCacheMb: lots } }|key 'storage.s3.memoryCacheMb'",
        "no upload memory|storage: { kind: s3, s3: { uploadMemoryMb: 0 } }|storage.s3.uploadMemoryMb: 0 leaves uploads no memory",
      })
  void badConfigurationNamesTheKey(String name, String text, String message) throws IOException {
    Path file = yaml(text);
    assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void mp3DeliveryFollowsTheRuleSetUnlessSetAndHasAnEnvironmentTwin() {
    assertThat(load(null, Map.of(), Map.of()).voice().mp3Delivery()).isNull();
    assertThat(load(null, Map.of("TEMPMEDIA_VOICE_MP3_DELIVERY", "amr"), Map.of())
            .voice()
            .mp3Delivery())
        .isEqualTo(TempmediaConfig.Mp3Delivery.AMR);
    assertThat(load(null, Map.of(), Map.of("voice.mp3Delivery", "original"))
            .voice()
            .mp3Delivery())
        .isEqualTo(TempmediaConfig.Mp3Delivery.ORIGINAL);
  }

  @Test
  void theS3MemoryCacheIs64MibByDefaultAndComesFromTheEnvironment() {
    assertThat(load(null, Map.of(), Map.of()).storage().s3().memoryCacheMb()).isEqualTo(64);
    assertThat(load(null, Map.of(), Map.of()).storage().s3().uploadMemoryMb()).isEqualTo(32);
    assertThat(load(null, Map.of("TEMPMEDIA_STORAGE_S3_UPLOAD_MEMORY_MB", "8"), Map.of())
            .storage()
            .s3()
            .uploadMemoryMb())
        .isEqualTo(8);
    assertThat(load(null, Map.of("TEMPMEDIA_STORAGE_S3_MEMORY_CACHE_MB", "0"), Map.of())
            .storage()
            .s3()
            .memoryCacheMb())
        .isZero();
  }

  @Test
  void idleTimeoutDefaultsToAMinuteAndComesFromTheEnvironmentAndFlags() {
    assertThat(load(null, Map.of(), Map.of()).server().idleTimeout()).isEqualTo(60);
    assertThat(load(null, Map.of("TEMPMEDIA_SERVER_IDLE_TIMEOUT", "30"), Map.of())
            .server()
            .idleTimeout())
        .isEqualTo(30);
    assertThat(load(
                null,
                Map.of("TEMPMEDIA_SERVER_IDLE_TIMEOUT", "30"),
                Map.of("server.idleTimeout", "2"))
            .server()
            .idleTimeout())
        .isEqualTo(2);
  }

  @Test
  void tlsProxyAndCloudRunAreOffByDefaultAndComeFromTheEnvironmentAndFlags() {
    TempmediaConfig defaults = load(null, Map.of(), Map.of());
    assertThat(defaults.server().https().port()).isNull();
    assertThat(defaults.server().https().names()).isEmpty();
    assertThat(defaults.server().proxy().port()).isNull();
    assertThat(defaults.ca().cert()).isNull();
    assertThat(defaults.cloudRun().appid()).isNull();
    TempmediaConfig fromEnv = load(
        null,
        Map.of(
            "TEMPMEDIA_SERVER_HTTPS_PORT", "8443",
            "TEMPMEDIA_SERVER_PROXY_PORT", "8888",
            "TEMPMEDIA_CLOUD_RUN_APPID", "wx0000000000000001"),
        Map.of());
    assertThat(fromEnv.server().https().port()).isEqualTo(8443);
    assertThat(fromEnv.server().proxy().port()).isEqualTo(8888);
    assertThat(fromEnv.cloudRun().appid()).isEqualTo("wx0000000000000001");
    TempmediaConfig flags = load(
        null,
        Map.of("TEMPMEDIA_SERVER_HTTPS_PORT", "8443"),
        Map.of("server.https.port", "0", "server.proxy.port", "0"));
    assertThat(flags.server().https().port()).isZero();
    assertThat(flags.server().proxy().port()).isZero();
  }

  @Test
  void unknownEnvironmentVariableIsNamed() {
    assertThatThrownBy(() -> load(null, Map.of("TEMPMEDIA_SERVR_PORT", "1"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TEMPMEDIA_SERVR_PORT");
  }

  @Test
  void clientVariablesAreNotServerKeys() {
    assertThat(load(
                null, Map.of("TEMPMEDIA_URL", "http://x", "TEMPMEDIA_LOG_LEVEL", "DEBUG"), Map.of())
            .server()
            .port())
        .isEqualTo(8080);
  }

  @Test
  void tempmediaConfigNamesTheFileWhenNoFlagDoes() throws IOException {
    Path file = yaml("server: { port: 9300 }\n");
    Path other = Files.writeString(dir.resolve("other.yaml"), "server: { port: 9400 }\n");
    Map<String, String> env = Map.of("TEMPMEDIA_CONFIG", file.toString());
    assertThat(load(null, env, Map.of()).server().port()).isEqualTo(9300);
    assertThat(load(other, env, Map.of()).server().port())
        .as("--config wins over its twin")
        .isEqualTo(9400);
    assertThatThrownBy(() ->
            load(null, Map.of("TEMPMEDIA_CONFIG", dir.resolve("nope.yaml").toString()), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.yaml does not exist");
  }

  @Test
  void missingFileIsNamed() {
    assertThatThrownBy(() -> load(dir.resolve("nope.yaml"), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.yaml does not exist");
  }
}
