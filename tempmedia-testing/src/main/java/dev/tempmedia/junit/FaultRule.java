package dev.tempmedia.junit;

import java.time.Duration;
import java.util.Objects;

/**
 * A fault rule to add with {@link Faults#add}, built with named methods:
 *
 * <pre>{@code
 * tempmedia.faults().add(FaultRule.on("/cgi-bin/media/upload").errcode(-1).times(1));
 * tempmedia.faults().add(FaultRule.on("/cgi-bin/media/get").latency(Duration.ofSeconds(2)));
 * tempmedia.faults().add(FaultRule.on("/cgi-bin/media/upload").type("voice").drop().probability(0.5));
 * }</pre>
 *
 * <p>A rule matches by request path, and optionally by app ({@link #appid}: the app of the token, or
 * the appid / corpid parameter of a token call) and upload {@link #type}. It answers an errcode, or
 * drops the connection, with or without latency before. Without {@link #times} or {@link
 * #probability} it hits every match until the rules are cleared. The server checks the rule when it
 * is added ({@link IllegalArgumentException} with the reason).
 */
public final class FaultRule {
  final String path;
  String appid;
  String type;
  Integer errcode;
  long latencyMs;
  boolean drop;
  Integer times;
  Double probability;

  private FaultRule(String path) {
    this.path = Objects.requireNonNull(path, "path");
  }

  /** A rule for requests to {@code path}, e.g. {@code /cgi-bin/media/upload}. */
  public static FaultRule on(String path) {
    return new FaultRule(path);
  }

  /** Only requests of this app (appid, or corpid for WeCom). */
  public FaultRule appid(String appid) {
    this.appid = appid;
    return this;
  }

  /** Only uploads of this media type ({@code image}, {@code voice}, …). */
  public FaultRule type(String type) {
    this.type = type;
    return this;
  }

  /** Answers this WeChat errcode (one the server knows: -1, 40001, 45009, …), in the endpoint's shape. */
  public FaultRule errcode(int errcode) {
    this.errcode = errcode;
    return this;
  }

  /** Waits this long before answering (at most 10 minutes); alone, or before an errcode or a drop. */
  public FaultRule latency(Duration latency) {
    this.latencyMs = latency.toMillis();
    return this;
  }

  /** Closes the connection instead of answering (over HTTP/2: resets the request's stream). */
  public FaultRule drop() {
    this.drop = true;
    return this;
  }

  /** Fires this many times at most, then stays listed as used up. */
  public FaultRule times(int times) {
    this.times = times;
    return this;
  }

  /** Fires on each matching request with this chance, 0–1. */
  public FaultRule probability(double probability) {
    this.probability = probability;
    return this;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("FaultRule.on(\"").append(path).append("\")");
    if (appid != null) {
      b.append(".appid(\"").append(appid).append("\")");
    }
    if (type != null) {
      b.append(".type(\"").append(type).append("\")");
    }
    if (errcode != null) {
      b.append(".errcode(").append(errcode).append(")");
    }
    if (latencyMs > 0) {
      b.append(".latency(").append(Duration.ofMillis(latencyMs)).append(")");
    }
    if (drop) {
      b.append(".drop()");
    }
    if (times != null) {
      b.append(".times(").append(times).append(")");
    }
    if (probability != null) {
      b.append(".probability(").append(probability).append(")");
    }
    return b.toString();
  }
}
