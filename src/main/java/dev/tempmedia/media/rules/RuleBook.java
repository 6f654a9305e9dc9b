package dev.tempmedia.media.rules;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.tempmedia.config.TempmediaConfig.Mp3Delivery;
import dev.tempmedia.config.TempmediaConfig.RuleSetName;
import dev.tempmedia.io.Yaml;
import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.Product;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rule sets, read from {@code rules/*.yaml} on the class path: limits are data that people check
 * against WeChat's documents, so they live where they can be read without reading Java. A product a
 * set does not name follows the current set.
 */
public final class RuleBook {
  /** What a multipart envelope may add around the file before a body counts as over the limit. */
  public static final long MULTIPART_ALLOWANCE = 64 * 1024;

  private final Map<RuleSetName, Map<Product, Map<MediaType, MediaRule>>> sets =
      new EnumMap<>(RuleSetName.class);
  private final Map<RuleSetName, Mp3Delivery> mp3Delivery = new EnumMap<>(RuleSetName.class);
  private final Map<Product, Endpoints> endpoints = new EnumMap<>(Product.class);
  private final long largestMaxBytes;

  private RuleBook() {
    for (RuleSetName set : RuleSetName.values()) {
      RuleSetFile file = readFile(fileName(set));
      sets.put(set, products(file));
      mp3Delivery.put(set, file.mp3Delivery());
      if (set == RuleSetName.CURRENT) {
        readEndpoints(file, endpoints); // the endpoints beside upload follow the current set
      }
    }
    largestMaxBytes = sets.values().stream()
        .flatMap(p -> p.values().stream())
        .flatMap(t -> t.values().stream())
        .mapToLong(MediaRule::maxBytes)
        .max()
        .orElseThrow();
  }

  public static RuleBook load() {
    return new RuleBook();
  }

  /** The rule for an upload of {@code type} by a {@code product} app under {@code set}; empty: 40004. */
  public Optional<MediaRule> rule(RuleSetName set, Product product, MediaType type) {
    Map<MediaType, MediaRule> byType = sets.get(set).get(product);
    if (byType == null) {
      byType = sets.get(RuleSetName.CURRENT).get(product);
    }
    return Optional.ofNullable(byType.get(type));
  }

  /** The types a product may upload under a set, for diagnoses. */
  public Set<MediaType> types(RuleSetName set, Product product) {
    Map<MediaType, MediaRule> byType =
        sets.get(set).getOrDefault(product, sets.get(RuleSetName.CURRENT).get(product));
    return byType.keySet();
  }

  /** How a set delivers a voice uploaded as MP3: as AMR (classic-2013, seed 004) or as uploaded. */
  public Mp3Delivery mp3Delivery(RuleSetName set) {
    return mp3Delivery.get(set);
  }

  /**
   * What a product may do beside {@code /cgi-bin/media/upload} (SPEC §12), from the current set.
   *
   * @param contentImage the rule of {@code uploadimg}, or empty when the product has no such endpoint
   * @param massVideo    whether {@code uploadvideo} turns its videos into mass-send videos
   * @param attachment   the types {@code upload_attachment} takes (none: no such endpoint)
   * @param byUrl        the rules of {@code upload_by_url} by type (none: no such endpoint)
   * @param jssdkVoice   whether the product has the JS-SDK's voices: {@code media/get/jssdk} serves
   *                     their HD (Speex) rendition
   */
  public record Endpoints(
      Optional<MediaRule> contentImage,
      boolean massVideo,
      Set<MediaType> attachment,
      Map<MediaType, MediaRule> byUrl,
      boolean jssdkVoice) {
    static final Endpoints NONE = new Endpoints(Optional.empty(), false, Set.of(), Map.of(), false);
  }

  public Endpoints endpoints(Product product) {
    return endpoints.getOrDefault(product, Endpoints.NONE);
  }

  /** No request body may be larger than this, whatever its type: above it the answer is 45001. */
  public long hardCapBytes() {
    return largestMaxBytes + MULTIPART_ALLOWANCE;
  }

  // ---- reading the data files -----------------------------------------------------------------

  @JsonIgnoreProperties(ignoreUnknown = false)
  record RuleSetFile(
      String name,
      Mp3Delivery mp3Delivery,
      Map<String, Map<String, RuleEntry>> products,
      Map<String, EndpointsEntry> endpoints) {}

  record EndpointsEntry(
      RuleEntry contentImage,
      Boolean massVideo,
      List<String> attachment,
      Map<String, RuleEntry> byUrl,
      Boolean jssdkVoice) {}

  record RuleEntry(
      Long maxBytes,
      Long minBytes,
      List<String> formats,
      Long maxAudioSeconds,
      Integer sizeError) {}

  private static String fileName(RuleSetName set) {
    return set == RuleSetName.CURRENT ? "current" : "classic-2013";
  }

  private static RuleSetFile readFile(String name) {
    String resource = "/rules/" + name + ".yaml";
    try (InputStream in = RuleBook.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("rule set " + resource + " is missing from the class path");
      }
      RuleSetFile file = Yaml.STRICT.readValue(in, RuleSetFile.class);
      if (file.mp3Delivery() == null) {
        throw new IllegalStateException(resource + ": needs mp3Delivery (amr or original)");
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read rule set " + resource, e);
    }
  }

  private static Map<Product, Map<MediaType, MediaRule>> products(RuleSetFile file) {
    String resource = "/rules/" + file.name() + ".yaml";
    Map<Product, Map<MediaType, MediaRule>> byProduct = new EnumMap<>(Product.class);
    file.products().forEach((productName, types) -> {
      Product product = Product.fromWireName(productName)
          .orElseThrow(
              () -> new IllegalStateException(resource + ": unknown product " + productName));
      Map<MediaType, MediaRule> byType = new EnumMap<>(MediaType.class);
      types.forEach((typeName, e) -> {
        MediaType type = MediaType.byWireName(typeName)
            .orElseThrow(() -> new IllegalStateException(resource + ": unknown type " + typeName));
        byType.put(type, toRule(resource, type, e));
      });
      byProduct.put(product, byType);
    });
    return byProduct;
  }

  private static void readEndpoints(RuleSetFile file, Map<Product, Endpoints> into) {
    String resource = "/rules/" + file.name() + ".yaml";
    if (file.endpoints() != null) {
      file.endpoints()
          .forEach((productName, e) -> into.put(
              Product.fromWireName(productName)
                  .orElseThrow(() ->
                      new IllegalStateException(resource + ": unknown product " + productName)),
              toEndpoints(resource, e)));
    }
  }

  private static Endpoints toEndpoints(String resource, EndpointsEntry e) {
    Set<MediaType> attachment = new HashSet<>();
    for (String typeName : e.attachment() == null ? List.<String>of() : e.attachment()) {
      attachment.add(MediaType.byWireName(typeName)
          .orElseThrow(() -> new IllegalStateException(resource + ": unknown type " + typeName)));
    }
    Map<MediaType, MediaRule> byUrl = new EnumMap<>(MediaType.class);
    if (e.byUrl() != null) {
      e.byUrl().forEach((typeName, r) -> {
        MediaType type = MediaType.byWireName(typeName)
            .orElseThrow(() -> new IllegalStateException(resource + ": unknown type " + typeName));
        byUrl.put(type, toRule(resource, type, r));
      });
    }
    return new Endpoints(
        Optional.ofNullable(e.contentImage()).map(r -> toRule(resource, MediaType.IMAGE, r)),
        Boolean.TRUE.equals(e.massVideo()),
        Set.copyOf(attachment),
        Map.copyOf(byUrl),
        Boolean.TRUE.equals(e.jssdkVoice()));
  }

  private static MediaRule toRule(String resource, MediaType type, RuleEntry e) {
    if (e.maxBytes() == null
        || e.sizeError() == null
        || e.formats() == null
        || e.formats().isEmpty()) {
      throw new IllegalStateException(
          resource + ": " + type.wireName() + " needs maxBytes, formats and sizeError");
    }
    Set<MediaFormat> formats = new HashSet<>();
    for (String f : e.formats()) {
      if (f.equals("any")) {
        continue;
      }
      MediaFormat format = MediaFormat.byWireName(f);
      if (format == MediaFormat.UNKNOWN) {
        throw new IllegalStateException(resource + ": unknown format " + f);
      }
      formats.add(format);
    }
    if (e.formats().contains("any")) {
      formats.clear();
    }
    long minBytes = e.minBytes() == null ? 1 : e.minBytes();
    long maxAudioMillis = e.maxAudioSeconds() == null ? 0 : e.maxAudioSeconds() * 1000;
    return new MediaRule(
        type, e.maxBytes(), minBytes, formats, maxAudioMillis, ErrorCode.fromCode(e.sizeError()));
  }
}
