package dev.tempmedia.metrics;

import dev.tempmedia.storage.BlobStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What {@code /metrics} shows, in Prometheus' text format through Micrometer. Meters of the request
 * path are looked up once per (endpoint, errcode) and kept, so recording a request allocates nothing
 * after the first of its kind. Endpoint tags are route paths, never raw request paths, so a scanner
 * probing random URLs cannot blow up the number of series.
 */
public final class ServerMetrics {
  /** Latency buckets: enough resolution where WeChat calls live (ms to a few s), few series. */
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<RequestKind, RequestMeters> requestMeters = new ConcurrentHashMap<>();
  private final Map<String, Counter> faults = new ConcurrentHashMap<>();
  private final Counter sweeps;
  private final Counter sweptObjects;
  private volatile BlobStore.Usage usage = new BlobStore.Usage(0, 0);
  private boolean jvmBound;

  private record RequestKind(String endpoint, int errcode) {}

  private record RequestMeters(Timer latency, Counter bytesIn, Counter bytesOut) {}

  public ServerMetrics() {
    Gauge.builder("tempmedia.stored.objects", () -> usage.objects())
        .description("Media objects in storage, expired ones not yet swept included")
        .register(registry);
    Gauge.builder("tempmedia.stored.bytes", () -> usage.bytes())
        .baseUnit("bytes")
        .description("Bytes of media in storage")
        .register(registry);
    sweeps = Counter.builder("tempmedia.expiry.sweeps")
        .description("Expiry sweeps run")
        .register(registry);
    sweptObjects = Counter.builder("tempmedia.expiry.removed.objects")
        .description("Expired media objects removed by sweeps")
        .register(registry);
  }

  /**
   * The memory uploads to S3 hold in their parts ({@code storage.s3.uploadMemoryMb}): now, the most
   * at once since the start (what to size the budget by), and the budget.
   */
  public void uploadMemory(
      java.util.function.LongSupplier held, java.util.function.LongSupplier peak, long limit) {
    Gauge.builder("tempmedia.s3.upload.memory", held::getAsLong)
        .baseUnit("bytes")
        .description("Bytes the parts of uploads to S3 hold now")
        .register(registry);
    Gauge.builder("tempmedia.s3.upload.memory.peak", peak::getAsLong)
        .baseUnit("bytes")
        .description("The most bytes the parts of uploads to S3 held at once since the start")
        .register(registry);
    Gauge.builder("tempmedia.s3.upload.memory.limit", () -> limit)
        .baseUnit("bytes")
        .description("storage.s3.uploadMemoryMb: past it, uploads wait to be read on")
        .register(registry);
  }

  /** One finished request of {@code endpoint} (a route path) answered with {@code errcode}. */
  public void request(String endpoint, int errcode, long nanos, long bytesIn, long bytesOut) {
    RequestMeters m =
        requestMeters.computeIfAbsent(new RequestKind(endpoint, errcode), this::metersFor);
    m.latency().record(nanos, TimeUnit.NANOSECONDS);
    m.bytesIn().increment(bytesIn);
    m.bytesOut().increment(bytesOut);
  }

  private RequestMeters metersFor(RequestKind kind) {
    String errcode = Integer.toString(kind.errcode());
    return new RequestMeters(
        Timer.builder("tempmedia.requests")
            .description("Requests by endpoint and WeChat errcode (0: success)")
            .tag("endpoint", kind.endpoint())
            .tag("errcode", errcode)
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry),
        Counter.builder("tempmedia.received.bytes")
            .baseUnit("bytes")
            .description("Request bytes read")
            .tag("endpoint", kind.endpoint())
            .tag("errcode", errcode)
            .register(registry),
        Counter.builder("tempmedia.sent.bytes")
            .baseUnit("bytes")
            .description("Response bytes written")
            .tag("endpoint", kind.endpoint())
            .tag("errcode", errcode)
            .register(registry));
  }

  public void sweep(long removedObjects) {
    sweeps.increment();
    sweptObjects.increment(removedObjects);
  }

  /** A fault rule fired; {@code effect} is errcode, latency or drop. */
  public void faultFired(String effect) {
    faults
        .computeIfAbsent(
            effect,
            e -> Counter.builder("tempmedia.faults.fired")
                .description("Injected faults that fired")
                .tag("effect", e)
                .register(registry))
        .increment();
  }

  /** The storage figures the gauges show, refreshed by whoever walked the store last. */
  public void storageUsage(BlobStore.Usage usage) {
    this.usage = usage;
  }

  /** The Prometheus text exposition (format 0.0.4). Blocking on the first call (see {@link #bindJvmMeters}). */
  public String scrape() {
    bindJvmMeters();
    return registry.scrape();
  }

  /**
   * The JVM's own meters are bound at the first scrape, not at start: they wake the management beans,
   * which costs ~60 ms of a start that answers its first request in well under a second, and nobody
   * reads them before a scrape.
   */
  private synchronized void bindJvmMeters() {
    if (jvmBound) {
      return;
    }
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    jvmBound = true;
  }
}
