package dev.tempmedia.emulator;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One injected fault: which requests it matches (a path, optionally an app and a media type), what it
 * does to them (answer a WeChat error, add latency, drop the connection — latency combines with
 * either of the others), and how often (a number of times, a probability per matching request, both,
 * or neither for every match until cleared).
 *
 * @param times       how many times it fires, or null for no limit
 * @param probability the chance each matching request is hit, 0–1
 */
public record FaultRule(
    String id,
    String path,
    String appid,
    String type,
    Integer errcode,
    long latencyMs,
    boolean drop,
    Integer times,
    double probability,
    AtomicLong fired) {

  public FaultRule {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException(
          "path must be the request path a rule matches, e.g. /cgi-bin/media/upload");
    }
    if (errcode == null && latencyMs <= 0 && !drop) {
      throw new IllegalArgumentException(
          "a rule needs an effect: errcode, latencyMs > 0, or drop:true");
    }
    if (errcode != null && drop) {
      throw new IllegalArgumentException(
          "errcode and drop exclude each other: a dropped connection answers nothing");
    }
    if (latencyMs < 0 || latencyMs > 600_000) {
      throw new IllegalArgumentException("latencyMs must be between 0 and 600000");
    }
    if (times != null && times < 1) {
      throw new IllegalArgumentException("times must be at least 1 (leave it out for no limit)");
    }
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be between 0 and 1");
    }
  }

  public boolean matches(String requestPath, String requestAppid, String requestType) {
    return path.equals(requestPath)
        && (appid == null || appid.equals(requestAppid))
        && (type == null || type.equals(requestType));
  }

  /** Draws this rule for one matching request: true when it fires (and then it counts). */
  boolean tryFire() {
    if (probability < 1 && ThreadLocalRandom.current().nextDouble() >= probability) {
      return false;
    }
    while (true) {
      long n = fired.get();
      if (times != null && n >= times) {
        return false;
      }
      if (fired.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  public boolean exhausted() {
    return times != null && fired.get() >= times;
  }

  /** A short account for diagnoses and logs: "fault f1 (errcode -1, 1 of 2)". */
  public String describe() {
    StringBuilder b = new StringBuilder("fault rule ").append(id).append(" (");
    if (errcode != null) {
      b.append("errcode ").append(errcode);
    } else if (drop) {
      b.append("drop");
    }
    if (latencyMs > 0) {
      b.append(errcode != null || drop ? ", " : "")
          .append("+")
          .append(latencyMs)
          .append(" ms");
    }
    b.append(", fired ").append(fired.get());
    if (times != null) {
      b.append(" of ").append(times);
    }
    return b.append(")").toString();
  }
}
