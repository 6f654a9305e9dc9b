package dev.tempmedia.media;

import dev.tempmedia.auth.App;
import dev.tempmedia.auth.Signer;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.media.rules.MediaRule;
import dev.tempmedia.media.rules.MediaType;
import dev.tempmedia.storage.Blob;
import dev.tempmedia.storage.BlobKey;
import dev.tempmedia.storage.BlobMeta;
import dev.tempmedia.storage.BlobStore;
import dev.tempmedia.storage.Partition;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The images of {@code /cgi-bin/media/uploadimg} (SPEC §12): pictures placed inside an article or a
 * message, answered as a URL rather than a media_id, served without a token and kept until an
 * operator purges them. They go through the same upload pipeline as media, into a store of their own
 * (local {@code <data>/images}, S3 prefix {@code images/} with no lifecycle rule) that the expiry sweep
 * never walks, under a domain tag of their own ({@value #TAG_HEX} hex digits where media has 16).
 *
 * <p>An image's name is {@code CREATED_AT-OBJECT_ID.ext}: the random 128-bit object id is what
 * makes the URL unguessable, like WeChat's own {@code mmbiz.qpic.cn} links.
 */
public final class ContentImages {
  public static final String PATH_PREFIX = "/_tempmedia/img/";
  static final int TAG_HEX = 24;

  private final Signer signer;
  private final BlobStore store;
  private final ServerClock clock;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<String, String> tags = new ConcurrentHashMap<>();

  /** @param store the content images' own store, not the media store */
  public ContentImages(Signer signer, BlobStore store, ServerClock clock) {
    this.signer = signer;
    this.store = store;
    this.clock = clock;
  }

  /** The storage tag of a domain's content images: keyed, so the layout reveals no app. */
  String tag(String domain) {
    String tag = tags.get(domain);
    if (tag == null) {
      tag = HexFormat.of().formatHex(signer.tagOf("content-image\n" + domain), 0, TAG_HEX / 2);
      if (tags.size() < 100_000) {
        tags.put(domain, tag);
      }
    }
    return tag;
  }

  /** Starts an upload of a content image for {@code app}, through the same pipeline as media. */
  public MediaUpload begin(App app, MediaRule rule) {
    byte[] objectId = new byte[16];
    random.nextBytes(objectId);
    MediaId id = new MediaId(
        MediaType.IMAGE,
        MediaFormat.UNKNOWN,
        clock.epochSecond(),
        tag(app.mediaDomain()),
        HexFormat.of().formatHex(objectId));
    return new MediaUpload(rule, app.product(), id, store);
  }

  /** {@code publicUrl/_tempmedia/img/TAG/CREATED_AT-OBJECT_ID.ext} of a committed upload. */
  public String url(String publicUrl, MediaUpload upload) {
    MediaId id = upload.id();
    return publicUrl + PATH_PREFIX + id.domainTag() + "/"
        + name(id.createdAt(), id.objectId(), upload.detectedFormat());
  }

  private static String name(long createdAt, String objectId, MediaFormat format) {
    return createdAt + "-" + objectId + "." + format.extension();
  }

  /** The stored key a served path names, or empty when it names no content image. */
  public Optional<BlobKey> keyOf(String path) {
    if (!path.startsWith(PATH_PREFIX)) {
      return Optional.empty();
    }
    String[] parts = path.substring(PATH_PREFIX.length()).split("/", -1);
    if (parts.length != 2 || parts[0].length() != TAG_HEX) {
      return Optional.empty();
    }
    return keyIn(parts[0], parts[1]);
  }

  /** {@code CREATED_AT-OBJECT_ID.ext} under {@code tag}; the extension is not checked. */
  private static Optional<BlobKey> keyIn(String tag, String name) {
    int dash = name.indexOf('-');
    int dot = name.indexOf('.', dash + 1);
    if (dash <= 0 || dot < 0) {
      return Optional.empty();
    }
    try {
      long createdAt = Long.parseLong(name.substring(0, dash));
      return Optional.of(new BlobKey(tag, createdAt, name.substring(dash + 1, dot)));
    } catch (IllegalArgumentException notOurs) { // NumberFormatException included
      return Optional.empty();
    }
  }

  /** The content image a served path names, or empty. Blocking for remote stores. */
  public Optional<Blob> open(BlobKey key) throws IOException {
    Optional<Blob> blob = store.open(key);
    return blob.filter(b -> MediaType.IMAGE.wireName().equals(b.meta().type()));
  }

  /**
   * The content image when the store holds it in memory (a recent read's cache entry), without
   * I/O; empty when it must be opened ({@link #open} decides whether it exists).
   */
  public Optional<Blob> known(BlobKey key) {
    return store
        .known(key)
        .filter(b -> MediaType.IMAGE.wireName().equals(b.meta().type()));
  }

  /** Whether {@link #open} is quick enough for the event loop. */
  public boolean opensQuickly() {
    return store.opensQuickly();
  }

  /** One stored content image, for the operator. */
  public record Stored(String name, String url, BlobMeta meta) {}

  /** {@code app}'s content images, newest first. Blocking: walks the app's partitions. */
  public List<Stored> list(App app, String publicUrl) throws IOException {
    String tag = tag(app.mediaDomain());
    List<Stored> found = new ArrayList<>();
    for (Partition partition : store.partitions(tag)) {
      for (BlobKey key : store.list(partition)) {
        Optional<Blob> blob = store.open(key);
        if (blob.isEmpty()) {
          continue; // purged since it was listed
        }
        BlobMeta meta = blob.get().meta();
        String name = name(meta.createdAt(), key.objectId(), MediaFormat.byWireName(meta.format()));
        found.add(new Stored(name, publicUrl + PATH_PREFIX + tag + "/" + name, meta));
      }
    }
    found.sort(Comparator.comparingLong((Stored s) -> s.meta().createdAt()).reversed());
    return found;
  }

  /** Deletes one of {@code app}'s content images by its name; false when there is none. Blocking. */
  public boolean purge(App app, String name) throws IOException {
    Optional<BlobKey> key = keyIn(tag(app.mediaDomain()), name);
    return key.isPresent() && store.delete(key.get());
  }
}
