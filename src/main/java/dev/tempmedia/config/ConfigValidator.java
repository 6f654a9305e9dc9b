package dev.tempmedia.config;

import dev.tempmedia.config.TempmediaConfig.App;
import dev.tempmedia.config.TempmediaConfig.StateKind;
import dev.tempmedia.config.TempmediaConfig.StorageKind;
import dev.tempmedia.wechat.IdField;
import dev.tempmedia.wechat.Product;
import dev.tempmedia.wechat.ProductProfile;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a loaded configuration as a whole; every message names the key and says what would fix it. */
public final class ConfigValidator {
  /** Ids become parts of tokens and storage prefixes, so they are kept to a safe alphabet. */
  private static final Pattern APP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private static final int MIN_SIGNING_KEY_BYTES = 32;

  private ConfigValidator() {}

  private static void checkPort(List<String> problems, String key, Integer port) {
    if (port != null && (port < 0 || port > 65535)) {
      problems.add(key + ": " + port + " is not a port; use 0-65535 (0 picks a free one)");
    }
  }

  public static TempmediaConfig validate(TempmediaConfig config) {
    List<String> problems = new ArrayList<>();
    if (config.server().port() < 0 || config.server().port() > 65535) {
      problems.add("server.port: " + config.server().port()
          + " is not a port; use 0-65535 (0 picks a free one)");
    }
    TempmediaConfig.Https https = config.server().https();
    checkPort(problems, "server.https.port", https.port());
    checkPort(problems, "server.proxy.port", config.server().proxy().port());
    if (blank(https.cert()) != blank(https.key())) {
      problems.add("server.https.cert and server.https.key: give both (PEM files) or neither");
    }
    if (blank(config.ca().cert()) != blank(config.ca().key())) {
      problems.add("ca.cert and ca.key: give both (PEM files) or neither");
    }
    for (String file :
        new String[] {https.cert(), https.key(), config.ca().cert(), config.ca().key()}) {
      if (!blank(file) && !java.nio.file.Files.isReadable(java.nio.file.Path.of(file))) {
        problems.add("'" + file + "' (server.https / ca) cannot be read");
      }
    }
    for (int i = 0; i < https.names().size(); i++) {
      String n = https.names().get(i);
      if (blank(n) || !n.matches("[A-Za-z0-9*.:_-]+")) {
        problems.add("server.https.names[" + i + "]: '" + n + "' is not a host name or IP address");
      }
    }
    String cloudRun = config.cloudRun().appid();
    if (cloudRun != null && !APP_ID.matcher(cloudRun).matches()) {
      problems.add("cloudRun.appid: '" + cloudRun + "' is not an app id");
    }
    if (blank(config.server().host())) {
      problems.add(
          "server.host: must not be empty; use 127.0.0.1 for this machine only or 0.0.0.0 for all interfaces");
    }
    if (!blank(config.server().publicUrl()) && !isHttpUrl(config.server().publicUrl())) {
      problems.add("server.publicUrl: '" + config.server().publicUrl() + "' is not an http(s) URL");
    }
    if (config.inspector().capacity() < 0 || config.inspector().capacity() > 1_000_000) {
      problems.add(
          "inspector.capacity: " + config.inspector().capacity() + " is not between 0 and 1000000");
    }
    List<String> hosts = config.uploadByUrl().allowedHosts();
    for (int i = 0; i < hosts.size(); i++) {
      String h = hosts.get(i);
      if (blank(h) || h.contains("://") || !h.matches("[^/\\s]+(/\\d{1,3})?")) {
        problems.add("uploadByUrl.allowedHosts[" + i + "]: '" + h
            + "' is not a host name, an IP address or a CIDR block (10.0.0.0/8)");
      }
    }
    if (config.server().idleTimeout() <= 0) {
      problems.add("server.idleTimeout: " + config.server().idleTimeout()
          + " is not a positive number of seconds;" + " the default is 60");
    }
    if (config.storage().kind() == StorageKind.LOCAL && blank(config.storage().path())) {
      problems.add("storage.path: must name a directory for local storage");
    }
    if (config.storage().kind() == StorageKind.S3) {
      if (blank(config.storage().s3().bucket())) {
        problems.add("storage.s3.bucket: required when storage.kind is s3");
      }
      if (!blank(config.storage().s3().endpoint())
          && !isHttpUrl(config.storage().s3().endpoint())) {
        problems.add("storage.s3.endpoint: '" + config.storage().s3().endpoint()
            + "' is not an http(s) URL");
      }
      if (config.storage().s3().memoryCacheMb() < 0) {
        problems.add("storage.s3.memoryCacheMb: " + config.storage().s3().memoryCacheMb()
            + " is negative; 0 holds no bytes in memory, the default is 64");
      }
      if (config.storage().s3().uploadMemoryMb() < 1) {
        problems.add("storage.s3.uploadMemoryMb: " + config.storage().s3().uploadMemoryMb()
            + " leaves uploads no memory; give at least 1 (MiB), the default is 32");
      }
    }
    if (config.state().kind() == StateKind.REDIS
        && !String.valueOf(config.state().uri()).matches("rediss?://.+")) {
      problems.add("state.uri: '" + config.state().uri() + "' is not a redis:// or rediss:// URI");
    }
    String key = config.security().signingKey();
    if (!blank(key)) {
      try {
        if (Base64.getDecoder().decode(key.trim()).length < MIN_SIGNING_KEY_BYTES) {
          problems.add("security.signingKey: too short; use at least " + MIN_SIGNING_KEY_BYTES
              + " random bytes in base64 (openssl rand -base64 32)");
        }
      } catch (IllegalArgumentException e) {
        problems.add("security.signingKey: not base64; generate one with: openssl rand -base64 32");
      }
    }
    if (!config.devMode()) {
      if (blank(config.admin().token())) {
        problems.add(
            "admin.token: required in prod mode (the /_tempmedia/ namespace is guarded by it)");
      }
      if (config.apps().isEmpty()) {
        problems.add(
            "apps: prod mode needs at least one app; the well-known development apps exist only in dev mode");
      }
    }
    validateApps(config.apps(), problems);
    validateCloud(config, problems);
    validateQuotas("quotas", config.quotas(), problems);
    for (int i = 0; i < config.apps().size(); i++) {
      App app = config.apps().get(i);
      if (app != null && app.quotas() != null) {
        validateQuotas("apps[" + i + "].quotas", app.quotas(), problems);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  /** API path → calls a day: paths as WeChat names them (a leading slash), whole numbers of 0 or more. */
  private static void validateQuotas(
      String key, java.util.Map<String, Long> quotas, List<String> problems) {
    quotas.forEach((path, limit) -> {
      if (!path.startsWith("/")) {
        problems.add(key + ": '" + path + "' is not an API path; write it as WeChat does,"
            + " e.g. /cgi-bin/media/upload");
      }
      if (limit == null || limit < 0) {
        problems.add(key + "." + path + ": a daily quota is a whole number of calls, 0 or more");
      }
    });
  }

  private static void validateApps(List<App> apps, List<String> problems) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < apps.size(); i++) {
      App app = apps.get(i);
      String at = "apps[" + i + "]";
      if (app == null) {
        problems.add(at + ": empty entry");
        continue;
      }
      Product product = Product.fromWireName(String.valueOf(app.product())).orElse(null);
      if (product == null) {
        problems.add(at + ".product: '" + app.product()
            + "' is not a product; use official-account, mini-program or wecom");
        continue;
      }
      ProductProfile profile = product.profile();
      String idKey = profile.idField().wireName();
      String id = app.id(profile.idField());
      for (IdField other : IdField.values()) {
        if (other != profile.idField() && app.id(other) != null) {
          problems.add(at + ": a " + product.wireName() + " app is named by " + idKey + ", not by "
              + other.wireName());
        }
      }
      if (id == null || !APP_ID.matcher(id).matches()) {
        problems.add(at + "." + idKey + ": required, 1-64 characters of A-Z a-z 0-9 _ -");
      } else if (!seen.add(id)) {
        problems.add(at + "." + idKey + ": '" + id + "' is configured twice");
      }
      List<String> secrets = secretsOf(app);
      if (secrets.isEmpty() || secrets.stream().anyMatch(ConfigValidator::blank)) {
        problems.add(at + ": needs a non-empty "
            + (profile.severalSecrets() ? "secret or secrets list" : "secret"));
      }
      if (!profile.severalSecrets() && app.secrets() != null) {
        problems.add(at + ".secrets: only " + productsWhere(ProductProfile::severalSecrets)
            + " apps have several secrets; use secret");
      }
      if (!profile.ruleSets() && app.rules() != null) {
        problems.add(at + ".rules: rule sets apply to " + productsWhere(ProductProfile::ruleSets)
            + " apps only");
      }
    }
  }

  /** {@code cloud.*}: each env names a known app that has a cloud-call shape; prod needs the secrets. */
  private static void validateCloud(TempmediaConfig config, List<String> problems) {
    TempmediaConfig.Cloud cloud = config.cloud();
    if (cloud == null) {
      return;
    }
    String callers = productsWhere(p -> p.cloudCall().isPresent());
    for (var e : new java.util.TreeMap<>(cloud.envs()).entrySet()) {
      String at = "cloud.envs." + e.getKey();
      String appid = e.getValue();
      if (blank(e.getKey()) || e.getKey().length() > 64) {
        problems.add(
            "cloud.envs: an env id must be 1-64 characters, like the one given to cloud.init({env})");
      } else if (appid == null || !APP_ID.matcher(appid).matches()) {
        problems.add(at + ": '" + appid + "' is not an appid; map each env to the " + callers
            + " appid it acts for");
      } else if (!config.apps().isEmpty()) {
        App app = config.apps().stream()
            .filter(a -> a != null && appid.equals(a.appid()))
            .findFirst()
            .orElse(null);
        Product product = app == null
            ? null
            : Product.fromWireName(String.valueOf(app.product())).orElse(null);
        if (app == null) {
          problems.add(at + ": '" + appid + "' is not one of apps[]; add it as a " + callers
              + " app or map the env to one");
        } else if (product != null && product.profile().cloudCall().isEmpty()) {
          problems.add(at + ": '" + appid + "' is a " + product.wireName()
              + " app; cloud calls act for " + callers + " apps only");
        }
      }
    }
    boolean noId = blank(cloud.secretId());
    boolean noKey = blank(cloud.secretKey());
    if (noId != noKey) {
      problems.add(
          noId
              ? "cloud.secretId: required with cloud.secretKey (the pair cloud functions sign with)"
              : "cloud.secretKey: required with cloud.secretId (the pair cloud functions sign with)");
    }
    if (!config.devMode() && !cloud.envs().isEmpty() && (noId || noKey)) {
      problems.add("cloud.secretId, cloud.secretKey: required in prod mode when cloud.envs is set:"
          + " /tcb/admin verifies every request's TC3-HMAC-SHA256 signature against them");
    }
  }

  private static String productsWhere(java.util.function.Predicate<ProductProfile> property) {
    return java.util.Arrays.stream(Product.values())
        .filter(p -> property.test(p.profile()))
        .map(Product::wireName)
        .collect(java.util.stream.Collectors.joining(" and "));
  }

  /** The secrets an app entry declares: {@code secret} and {@code secrets} together. */
  public static List<String> secretsOf(App app) {
    List<String> out = new ArrayList<>();
    if (app.secret() != null) {
      out.add(app.secret());
    }
    if (app.secrets() != null) {
      out.addAll(app.secrets());
    }
    return out;
  }

  private static boolean isHttpUrl(String text) {
    try {
      URI uri = URI.create(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
