package dev.tempmedia.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

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
    Cloud cloud,
    UploadByUrl uploadByUrl,
    List<App> apps,
    Map<String, Long> quotas,
    Voice voice,
    Ca ca,
    CloudRun cloudRun) {

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

  /** How a voice uploaded as MP3 is downloaded (SPEC §13). */
  public enum Mp3Delivery {
    /** As AMR-NB, as the 2013 platform did (seed 004): {@code audio/amr}, {@code MEDIA_ID.amr}. */
    @JsonProperty("amr")
    AMR,
    /** The bytes as uploaded. */
    @JsonProperty("original")
    ORIGINAL
  }

  /**
   * @param mp3Delivery amr or original for every app; null follows each app's rule set
   *                    ({@code mp3Delivery} in {@code rules/*.yaml})
   */
  public record Voice(Mp3Delivery mp3Delivery) {}

  /**
   * @param idleTimeout seconds a connection may go without a whole request head or body chunk read,
   *                    or anything written, before it is closed
   */
  public record Server(
      String host, int port, String publicUrl, int idleTimeout, Https https, Proxy proxy) {}

  /**
   * The HTTPS listener (SPEC §11), off while {@code port} is null.
   *
   * @param cert  a PEM certificate (chain) to serve instead of one from the local CA; with {@code key}
   * @param key   its PEM private key
   * @param names host names and IP addresses the CA's leaf names besides the WeChat hosts, localhost
   *              and 127.0.0.1
   */
  public record Https(Integer port, String cert, String key, List<String> names) {
    public Https {
      names = names == null ? List.of() : List.copyOf(names);
    }
  }

  /** The forward proxy that answers for the WeChat hosts itself (SPEC §11), off while {@code port} is null. */
  public record Proxy(Integer port) {}

  /** A CA to issue the leaves from instead of the one made in the data directory: PEM files. */
  public record Ca(String cert, String key) {}

  /**
   * WeChat Cloud Run's open-API mode (微信云托管, SPEC §11): a WeChat API call without an access_token
   * acts as {@code appid}; off while it is null.
   */
  public record CloudRun(String appid) {}

  public record Storage(StorageKind kind, String path, boolean fsync, S3 s3) {}

  public enum StorageKind {
    @JsonProperty("local")
    LOCAL,
    @JsonProperty("s3")
    S3
  }

  /**
   * @param memoryCacheMb how many MiB of small objects' bytes each instance holds in memory for
   *                      downloads ({@code storage.CachingBlobStore}); 0 holds none
   * @param uploadMemoryMb how many MiB the parts of all uploads in flight may hold at once
   *                       ({@code storage.s3.PartMemory}); past it, uploads' reading waits
   */
  public record S3(
      String endpoint,
      String region,
      String bucket,
      String accessKey,
      String secretKey,
      boolean pathStyle,
      int memoryCacheMb,
      int uploadMemoryMb) {}

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
   * The TCB gateway that {@code wx-server-sdk} cloud functions call ({@code POST /tcb/admin}, SPEC §9).
   *
   * @param secretId  the SecretId a prod-mode request must be signed with (TC3-HMAC-SHA256)
   * @param secretKey its SecretKey; never logged
   * @param envs      cloud environment id → the mini-program appid it acts for
   */
  public record Cloud(String secretId, String secretKey, Map<String, String> envs) {
    public Cloud {
      envs = envs == null ? Map.of() : Map.copyOf(envs);
    }

    @Override
    public String toString() {
      return "Cloud[secretId=" + secretId + ", secretKey=" + (secretKey == null ? null : "***")
          + ", envs=" + envs + "]";
    }
  }

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

  /**
   * One app; WeCom apps name a corpid and may list several secrets. {@code quotas} (API path → calls
   * a day) override the top-level ones path by path; null when the entry names none.
   */
  public record App(
      String product,
      String appid,
      String corpid,
      String secret,
      List<String> secrets,
      RuleSetName rules,
      Map<String, Long> quotas) {

    /** The id under the key {@code field} names: appid or corpid. */
    public String id(dev.tempmedia.wechat.IdField field) {
      return field == dev.tempmedia.wechat.IdField.CORPID ? corpid : appid;
    }
  }

  /** The top-level daily quotas, API path → calls a day (empty: no quotas). */
  public Map<String, Long> quotas() {
    return quotas == null ? Map.of() : quotas;
  }

  /** The voice settings; never null (a record built by hand may leave it out). */
  public Voice voice() {
    return voice == null ? new Voice(null) : voice;
  }

  public boolean devMode() {
    return mode == Mode.DEV;
  }
}
