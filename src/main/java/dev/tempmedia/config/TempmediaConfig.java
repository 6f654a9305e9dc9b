package dev.tempmedia.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The whole configuration, as SPEC §7 names its keys. Built only by {@link ConfigLoader}, checked by
 * {@link ConfigValidator}; every field is filled (defaults come from {@code defaults.yaml}).
 */
public record TempmediaConfig(
    Mode mode,
    Server server,
    Storage storage,
    State state,
    RuleSetName rules,
    Admin admin,
    Inspector inspector,
    Security security,
    UploadByUrl uploadByUrl,
    List<App> apps) {

  public enum Mode {
    @JsonProperty("dev")
    DEV,
    @JsonProperty("prod")
    PROD
  }

  public enum RuleSetName {
    @JsonProperty("current")
    CURRENT,
    @JsonProperty("classic-2013")
    CLASSIC_2013
  }

  /**
   * @param idleTimeout seconds a connection may go without a whole request head or body chunk read,
   *                    or anything written, before it is closed
   */
  public record Server(String host, int port, String publicUrl, int idleTimeout) {}

  public record Storage(StorageKind kind, String path, boolean fsync, S3 s3) {}

  public enum StorageKind {
    @JsonProperty("local")
    LOCAL,
    @JsonProperty("s3")
    S3
  }

  public record S3(
      String endpoint,
      String region,
      String bucket,
      String accessKey,
      String secretKey,
      boolean pathStyle) {}

  public record State(StateKind kind, String uri) {}

  public enum StateKind {
    @JsonProperty("local")
    LOCAL,
    @JsonProperty("redis")
    REDIS
  }

  /**
   * @param token       the bearer token of the {@code /_tempmedia/} namespace; required in prod
   * @param metricsOpen whether {@code /metrics} answers without the token (scrapers rarely carry one)
   */
  public record Admin(String token, boolean metricsOpen) {}

  /** @param capacity how many recent requests the inspector keeps in memory (0 keeps none) */
  public record Inspector(int capacity) {}

  public record Security(String signingKey) {}

  /**
   * WeCom's {@code upload_by_url} fetches (SPEC §12).
   *
   * @param allowedHosts the hosts fetches may reach besides loopback (dev mode only): host names, IP
   *                     addresses or CIDR blocks ({@code 10.0.0.0/8}); every address a URL's host
   *                     resolves to must be among them
   */
  public record UploadByUrl(List<String> allowedHosts) {
    public UploadByUrl {
      allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    }
  }

  /** One app; WeCom apps name a corpid and may list several secrets. */
  public record App(
      String product,
      String appid,
      String corpid,
      String secret,
      List<String> secrets,
      RuleSetName rules) {

    /** The id under the key {@code field} names: appid or corpid. */
    public String id(dev.tempmedia.wechat.IdField field) {
      return field == dev.tempmedia.wechat.IdField.CORPID ? corpid : appid;
    }
  }

  public boolean devMode() {
    return mode == Mode.DEV;
  }
}
