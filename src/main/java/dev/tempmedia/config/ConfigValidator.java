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

  public static TempmediaConfig validate(TempmediaConfig config) {
    List<String> problems = new ArrayList<>();
    if (config.server().port() < 0 || config.server().port() > 65535) {
      problems.add("server.port: " + config.server().port()
          + " is not a port; use 0-65535 (0 picks a free one)");
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
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
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
