package dev.tempmedia.media;

import dev.tempmedia.auth.App;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.config.TempmediaConfig.Mp3Delivery;
import dev.tempmedia.config.TempmediaConfig.RuleSetName;
import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.media.rules.MediaRule;
import dev.tempmedia.media.rules.MediaType;
import dev.tempmedia.media.rules.RuleBook;
import dev.tempmedia.storage.Blob;
import dev.tempmedia.storage.BlobKey;
import dev.tempmedia.storage.BlobMeta;
import dev.tempmedia.storage.BlobStore;
import dev.tempmedia.storage.Partition;
import dev.tempmedia.wechat.Durations;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.Product;
import dev.tempmedia.wechat.ProductProfile;
import dev.tempmedia.wechat.WeChatException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The rules of temporary media, apart from the wire: which rule an upload follows, what its id is,
 * whether an id may be served to a caller, and when stored media is dropped.
 */
public final class MediaService {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MediaService.class);
  private final RuleBook rules;
  private final RuleSetName defaultRules;
  private final MediaIdCodec codec;
  private final BlobStore store;
  private final AppRegistry apps;
  private final ServerClock clock;
  private final VoiceRenditions renditions;

  public MediaService(
      RuleBook rules,
      RuleSetName defaultRules,
      MediaIdCodec codec,
      BlobStore store,
      AppRegistry apps,
      ServerClock clock,
      VoiceRenditions renditions) {
    this.renditions = renditions;
    this.rules = rules;
    this.defaultRules = defaultRules;
    this.codec = codec;
    this.store = store;
    this.apps = apps;
    this.clock = clock;
  }

  public RuleBook rules() {
    return rules;
  }

  public BlobStore store() {
    return store;
  }

  public MediaIdCodec codec() {
    return codec;
  }

  /** How {@code app}'s voices uploaded as MP3 are downloaded: {@code voice.mp3Delivery}, else its rule set's. */
  public Mp3Delivery mp3Delivery(App app) {
    if (renditions.override() != null) {
      return renditions.override();
    }
    return rules.mp3Delivery(app.rules() != null ? app.rules() : defaultRules);
  }

  /** Whether a download of {@code id} by {@code app} serves an AMR rendition instead of the stored bytes. */
  public boolean deliversAsAmr(App app, MediaId id) {
    return id.type() == MediaType.VOICE
        && id.format() == MediaFormat.MP3
        && mp3Delivery(app) == Mp3Delivery.AMR;
  }

  /** After an upload is committed: an MP3 voice delivered as AMR gets its rendition made now, in the background. */
  public void committed(App app, MediaUpload upload) {
    MediaId id = upload.id();
    if (upload.rule().type() == MediaType.VOICE
        && upload.detectedFormat() == MediaFormat.MP3
        && mp3Delivery(app) == Mp3Delivery.AMR) {
      renditions.prepare(id.blobKey());
    }
  }

  /**
   * What a download of an MP3 voice delivered as AMR serves: the AMR rendition, made now if the
   * background one is not there yet; the MP3 itself, with the reason, when the encoder fails.
   * Blocking.
   */
  public Delivered amrOf(App app, MediaId id, Blob original) {
    try {
      return new Delivered(renditions.amrOf(id.blobKey(), original), null);
    } catch (IOException e) {
      String why = "served the MP3 as uploaded instead of AMR: " + e.getMessage();
      LOG.warn("{} ({} media of {})", why, id.type().wireName(), app.id());
      return new Delivered(original, why);
    }
  }

  /** A blob to serve and, when it is not what was asked for, why (for the inspector). */
  public record Delivered(Blob blob, String diagnosis) {}

  /**
   * A voice as the JS-SDK's {@code wx.uploadVoice} makes it, from {@code audio} in any format ffmpeg
   * reads: a voice media_id of {@code app}'s whose bytes are AMR (what {@code media/get} serves) and
   * whose Speex rendition is its HD voice ({@code media/get/jssdk}). The AMR goes through the voice
   * upload's own checks. Blocking: two encodings on the encoder's pool, then the store.
   */
  public StoredMedia jssdkVoice(App app, byte[] audio) throws IOException {
    byte[] amr = renditions.encode(audio, VoiceEncoder.Target.AMR);
    byte[] speex = renditions.encode(audio, VoiceEncoder.Target.SPEEX);
    MediaUpload upload = begin(app, ruleFor(app, MediaType.VOICE.wireName()));
    try {
      upload.startFile("");
      upload.partData(java.nio.ByteBuffer.wrap(amr));
      upload.partEnd();
      BlobMeta meta = upload.finish();
      // The rendition first: once the voice is committed, its id may be downloaded at once.
      renditions.storeSpeex(upload.id().blobKey(), meta, speex);
      upload.commit(meta);
      return new StoredMedia(mediaIdOf(upload, app), upload.id(), meta);
    } catch (IOException | RuntimeException e) {
      upload.abort();
      renditions.delete(upload.id().blobKey());
      throw e;
    }
  }

  /**
   * The HD (Speex) voice of a JS-SDK voice of {@code app}'s, or 40007 with the reason: a voice
   * uploaded through {@code media/upload} has none. Blocking.
   */
  public Blob speexOf(App app, String mediaIdText, MediaId id) {
    if (id.type() != MediaType.VOICE) {
      throw invalid(
          app,
          "media_id " + mediaIdText + " is a " + id.type().wireName()
              + ", not a JSSDK voice: upload it with wx.uploadVoice, or POST /_tempmedia/jssdk/voice");
    }
    open(app, id); // 40007 when the voice itself is gone
    Optional<Blob> speex;
    try {
      speex = renditions.speexOf(id.blobKey());
    } catch (IOException e) {
      throw new WeChatException(
          ErrorCode.SYSTEM_ERROR, app.product(), "storage could not be read: " + e.getMessage());
    }
    return speex.orElseThrow(() -> invalid(
        app,
        "media_id " + mediaIdText
            + " is not a JSSDK voice (it was uploaded with media/upload): upload it with"
            + " wx.uploadVoice, or POST /_tempmedia/jssdk/voice"));
  }

  /** The rule for an upload, or 40004 saying which types the app's product takes. */
  public MediaRule ruleFor(App app, String typeParam) {
    RuleSetName set = app.rules() != null ? app.rules() : defaultRules;
    Optional<MediaRule> rule =
        MediaType.byWireName(typeParam).flatMap(t -> rules.rule(set, app.product(), t));
    return rule.orElseThrow(() -> new WeChatException(
        ErrorCode.INVALID_MEDIA_TYPE,
        app.product(),
        (typeParam == null || typeParam.isEmpty()
                ? "the type query parameter is missing"
                : "type=" + typeParam + " is not a media type of "
                    + app.product().wireName())
            + "; it takes "
            + rules.types(set, app.product()).stream().map(MediaType::wireName).toList()
            + " (rule set " + setName(set) + ")"));
  }

  /** What {@code app}'s product may do beside the upload (SPEC §12), from the rule book. */
  public RuleBook.Endpoints endpoints(App app) {
    return rules.endpoints(app.product());
  }

  /**
   * A new video media_id for mass sending ({@code uploadvideo}), made from a video of the same app: the
   * bytes are copied through the upload pipeline under a new id, so the new media lives its own 3
   * days. 40007 when {@code source} is not a video of the app's. Blocking.
   */
  public StoredMedia massVideo(App app, String sourceMediaId) throws IOException {
    MediaId source = authorize(app, sourceMediaId);
    if (source.type() != MediaType.VIDEO) {
      throw invalid(
          app,
          "media_id is a " + source.type().wireName()
              + "; uploadvideo takes the media_id of a video uploaded with type=video");
    }
    Blob blob = open(app, source);
    try (java.io.InputStream in = blob.openRange(0, blob.meta().size())) {
      return store(app, ruleFor(app, MediaType.VIDEO.wireName()), blob.meta().filename(), in);
    }
  }

  /**
   * A whole file that is already at hand (another media's bytes, a spooled form part) taken through
   * the upload pipeline under {@code rule}: its limits, format detection, digest and durable commit,
   * as a multipart upload would. The refusal, if any, is the pipeline's. Blocking.
   */
  public StoredMedia store(App app, MediaRule rule, String filename, java.io.InputStream in)
      throws IOException {
    MediaUpload upload = begin(app, rule);
    try {
      upload.startFile(filename);
      byte[] chunk = new byte[64 * 1024];
      for (int n; (n = in.read(chunk)) > 0; ) {
        upload.partData(java.nio.ByteBuffer.wrap(chunk, 0, n));
      }
      upload.partEnd();
      BlobMeta meta = upload.finish();
      upload.commit(meta);
      committed(app, upload);
      return new StoredMedia(mediaIdOf(upload, app), upload.id(), meta);
    } catch (IOException | RuntimeException e) {
      upload.abort();
      throw e;
    }
  }

  /** Starts an upload for {@code app}; its id and created_at are fixed now. */
  public MediaUpload begin(App app, MediaRule rule) {
    MediaId id =
        codec.newId(rule.type(), MediaFormat.UNKNOWN, clock.epochSecond(), app.mediaDomain());
    return new MediaUpload(rule, app.product(), id, store);
  }

  /** The media_id to answer once an upload is committed: it records the detected format. */
  public String mediaIdOf(MediaUpload upload, App app) {
    MediaId id = upload.id();
    MediaId withFormat = new MediaId(
        id.type(), upload.detectedFormat(), id.createdAt(), id.domainTag(), id.objectId());
    return codec.encode(withFormat, app.mediaDomain(), app.dialect());
  }

  /** The id a caller may read, or 40007 with the reason: checked from the id alone, no storage call. */
  public MediaId authorize(App app, String mediaIdText) {
    if (mediaIdText == null || mediaIdText.isEmpty()) {
      throw invalid(app, "the media_id parameter is missing or empty");
    }
    MediaIdCodec.Decoded decoded = codec.decode(mediaIdText, app.mediaDomain(), app.dialect());
    if (decoded.refusal() != null) {
      throw invalid(
          app,
          switch (decoded.refusal()) {
            case MALFORMED -> malformed(app, mediaIdText);
            case FORGED ->
              "media_id has the right shape but its signature is wrong: it was altered, or issued by a"
                  + " server with another signing key";
            case OTHER_DOMAIN -> foreign(app, mediaIdText, decoded.foreignTag());
          });
    }
    MediaId id = decoded.id();
    long now = clock.epochSecond();
    if (id.expiredAt(now)) {
      throw invalid(
          app,
          "media_id expired at " + Instant.ofEpochSecond(id.expiresAt()) + ", "
              + Durations.spoken(now - id.expiresAt())
              + " ago (media lives 3 days from its created_at, "
              + Instant.ofEpochSecond(id.createdAt()) + ")");
    }
    return id;
  }

  /** The stored object of an authorized id, or 40007 when it is gone. Blocking for remote stores. */
  public Blob open(App app, MediaId id) {
    Optional<Blob> blob;
    try {
      blob = store.open(id.blobKey());
    } catch (IOException e) {
      throw new WeChatException(
          ErrorCode.SYSTEM_ERROR, app.product(), "storage could not be read: " + e.getMessage());
    }
    return blob.orElseThrow(() -> invalid(
        app,
        "media_id is genuine and not expired, but its file is gone:"
            + " it was purged, or the storage it was written to is not this server's"));
  }

  /**
   * The media's object when the store holds it in memory (a recent download's cache entry), without
   * I/O, so a download on the event loop need not hop to a worker; empty when it must be opened.
   */
  public Optional<Blob> known(MediaId id) {
    return store.known(id.blobKey());
  }

  /** What the operator sees of one live media object. */
  public record StoredMedia(String mediaId, MediaId id, BlobMeta meta) {}

  /** The live (unexpired) media of {@code app}, newest first. Blocking: it walks the app's partitions. */
  public List<StoredMedia> live(App app) throws IOException {
    long now = clock.epochSecond();
    String tag = codec.domainTag(app.mediaDomain());
    List<StoredMedia> found = new ArrayList<>();
    for (BlobKey key : liveKeys(tag, now)) {
      if (VoiceRenditions.isRendition(key)) {
        continue; // shown as the upload it was made from
      }
      Optional<Blob> blob = store.open(key);
      if (blob.isEmpty()) {
        continue; // swept or purged since it was listed
      }
      BlobMeta meta = blob.get().meta();
      Optional<MediaType> type = MediaType.byWireName(meta.type());
      if (type.isEmpty()) {
        continue;
      }
      MediaId id = new MediaId(
          type.get(), MediaFormat.byWireName(meta.format()), meta.createdAt(), tag, key.objectId());
      if (!id.expiredAt(now)) {
        found.add(new StoredMedia(codec.encode(id, app.mediaDomain(), app.dialect()), id, meta));
      }
    }
    found.sort(Comparator.comparingLong((StoredMedia m) -> m.meta().createdAt()).reversed());
    return found;
  }

  /** The keys in a domain's partitions that may still hold live media. */
  private List<BlobKey> liveKeys(String domainTag, long now) throws IOException {
    List<BlobKey> keys = new ArrayList<>();
    for (Partition partition : store.partitions(domainTag)) {
      if (!ExpiryPolicy.MEDIA.expired(partition, now)) {
        keys.addAll(store.list(partition));
      }
    }
    return keys;
  }

  /** Deletes one media object of {@code app} now; false when it was already gone. 40007 for an id not the app's. */
  public boolean purge(App app, String mediaIdText) throws IOException {
    BlobKey key = authorize(app, mediaIdText).blobKey();
    renditions.delete(key);
    return store.delete(key);
  }

  /** Drops every partition whose media has all expired; returns the objects removed. Blocking. */
  public long sweepExpired() throws IOException {
    return ExpiryPolicy.MEDIA.sweep(store, clock.epochSecond());
  }

  /** Why an id that does not decode is refused: often it has the shape of another product's ids. */
  private String malformed(App app, String text) {
    ProductProfile own = app.product().profile();
    if (!looksLike(own, text)) {
      for (Product other : Product.values()) {
        ProductProfile profile = other.profile();
        if (!profile.dialect().mediaIdPrefix().equals(own.dialect().mediaIdPrefix())
            && looksLike(profile, text)) {
          return "media_id looks like " + idShape(profile) + ", but the token is for "
              + app.product().wireName() + " app " + app.id();
        }
      }
    }
    return "media_id is not one this server issued: it has " + text.length() + " characters; "
        + app.product().wireName() + " ids have " + own.mediaIdLength() + startingWith(own);
  }

  private static boolean looksLike(ProductProfile profile, String text) {
    return text.length() == profile.mediaIdLength()
        && text.startsWith(profile.dialect().mediaIdPrefix());
  }

  /** "a wecom id (65 characters starting with 3)" / "an official-account or mini-program id (64 characters)". */
  private static String idShape(ProductProfile profile) {
    String prefix = profile.dialect().mediaIdPrefix();
    String products = java.util.Arrays.stream(Product.values())
        .filter(p -> p.profile().dialect().mediaIdPrefix().equals(prefix))
        .map(Product::wireName)
        .collect(java.util.stream.Collectors.joining(" or "));
    return (products.startsWith("o") ? "an " : "a ") + products + " id (" + profile.mediaIdLength()
        + " characters" + startingWith(profile) + ")";
  }

  private static String startingWith(ProductProfile profile) {
    String prefix = profile.dialect().mediaIdPrefix();
    return prefix.isEmpty() ? "" : " starting with " + prefix;
  }

  private String foreign(App app, String text, String tag) {
    for (App other : apps.all()) {
      if (!other.id().equals(app.id())
          && codec.domainTag(other.mediaDomain()).equals(tag)
          && codec.genuineFor(text, other.mediaDomain(), app.dialect())) {
        return "media belongs to " + other.product().wireName() + " app " + other.id()
            + ", but the token is for " + app.id()
            + "; media is visible only to the app (WeCom: the corp) that uploaded it";
      }
    }
    return "media_id was issued to another app or corp, not to " + app.id()
        + "; media is visible only to the app that uploaded it";
  }

  private static WeChatException invalid(App app, String diagnosis) {
    return new WeChatException(ErrorCode.INVALID_MEDIA_ID, app.product(), diagnosis);
  }

  private static String setName(RuleSetName set) {
    return set == RuleSetName.CURRENT ? "current" : "classic-2013";
  }
}
