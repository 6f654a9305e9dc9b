package dev.tempmedia.media;

import dev.tempmedia.http.semantics.ContentDisposition;
import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.media.format.MediaInspector;
import dev.tempmedia.media.multipart.MultipartParser;
import dev.tempmedia.media.multipart.PartHeaders;
import dev.tempmedia.media.rules.MediaRule;
import dev.tempmedia.storage.BlobMeta;
import dev.tempmedia.storage.BlobStore;
import dev.tempmedia.storage.BlobWriter;
import dev.tempmedia.storage.ContentChecksum;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.Product;
import dev.tempmedia.wechat.WeChatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * One upload on its way into storage. The {@code media} part's bytes pass once through the size
 * limit, the format inspector, the checksum and the blob writer; every rule that can be decided early is
 * decided at the first byte that breaks it, so a refused upload stops being stored at once. Other
 * form fields are read past and dropped, as WeChat ignores them.
 */
public final class MediaUpload implements MultipartParser.Listener {
  static final String FIELD = "media";

  private final MediaRule rule;
  private final Product product;
  private final MediaId id;
  private final BlobStore store;
  private final MediaInspector inspector = new MediaInspector();
  private final ContentChecksum checksum = new ContentChecksum();
  private BlobWriter writer;
  private boolean inMediaPart;
  private boolean mediaSeen;
  private String filename = "";
  private long size;

  MediaUpload(MediaRule rule, Product product, MediaId id, BlobStore store) {
    this.rule = rule;
    this.product = product;
    this.id = id;
    this.store = store;
  }

  public MediaId id() {
    return id;
  }

  public MediaRule rule() {
    return rule;
  }

  @Override
  public void partBegin(PartHeaders headers) throws IOException {
    String disposition = headers.get("content-disposition").orElse(null);
    inMediaPart = FIELD.equals(ContentDisposition.parseName(disposition).orElse(null));
    if (!inMediaPart) {
      return;
    }
    if (mediaSeen) {
      throw refuse(
          ErrorCode.DATA_FORMAT_ERROR,
          "the form has two parts named \"media\"; send exactly one file");
    }
    startFile(ContentDisposition.parseFilename(disposition).orElse(""));
  }

  /** Starts the file without a multipart envelope (the cloud-call API sends it inside JSON). */
  public void startFile(String name) throws IOException {
    mediaSeen = true;
    inMediaPart = true;
    // Kept as downloads will show it: a 10 KB name stored raw overflowed S3's 2 KB of user metadata
    // and failed the upload with -1.
    filename = name.isEmpty() ? "" : ContentDisposition.cleanFileName(name);
    writer = store.create(id.blobKey());
  }

  @Override
  public void partData(ByteBuffer data) throws IOException {
    if (!inMediaPart) {
      return;
    }
    size += data.remaining();
    if (size > rule.maxBytes()) {
      throw refuse(
          rule.sizeError(),
          "the file is over " + rule.maxBytes() + " bytes, the limit for "
              + rule.type().wireName() + " uploads of a " + product.wireName() + " app");
    }
    inspector.update(data);
    if (inspector.decided() && !rule.accepts(inspector.format())) {
      throw wrongFormat();
    }
    if (rule.maxAudioMillis() > 0 && inspector.audioMillis() > rule.maxAudioMillis()) {
      throw tooLong();
    }
    checksum.update(data);
    writer.write(data.duplicate());
  }

  @Override
  public void partEnd() {
    inMediaPart = false;
  }

  /** Checks what only the whole file can show; answers the metadata to commit. Throws the refusal. */
  public BlobMeta finish() {
    if (!mediaSeen) {
      throw refuse(
          ErrorCode.MEDIA_DATA_MISSING,
          "the form has no part named \"media\" (the file field must be called media)");
    }
    if (size == 0) {
      throw refuse(ErrorCode.EMPTY_MEDIA_DATA, "the media part is empty (0 bytes)");
    }
    if (size < rule.minBytes()) {
      throw refuse(
          ErrorCode.INVALID_MEDIA_SIZE,
          "the file is " + size + " bytes; " + product.wireName() + " takes files of at least "
              + rule.minBytes() + " bytes");
    }
    inspector.finish();
    if (!rule.accepts(inspector.format())) {
      throw wrongFormat();
    }
    if (rule.maxAudioMillis() > 0 && inspector.audioMillis() > rule.maxAudioMillis()) {
      throw tooLong();
    }
    MediaFormat format = inspector.format();
    String contentType =
        format == MediaFormat.UNKNOWN ? guessFileType(filename) : format.contentType();
    return new BlobMeta(
        rule.type().wireName(),
        format.wireName(),
        contentType,
        filename,
        size,
        checksum.value(),
        id.createdAt());
  }

  /** Makes the stored object durable and visible. Blocking. */
  public void commit(BlobMeta meta) throws IOException {
    writer.commit(meta);
  }

  /** Whether storage wants the reading paused (a remote store sending a part). */
  public boolean backlogged() {
    return writer != null && writer.backlogged();
  }

  /** Runs {@code action} once storage takes bytes again. */
  public void whenDrained(Runnable action) {
    if (writer == null) {
      action.run();
    } else {
      writer.whenDrained(action);
    }
  }

  /** Drops whatever was written; safe at any point and more than once. */
  public void abort() {
    if (writer != null) {
      writer.abort();
    }
  }

  public MediaFormat detectedFormat() {
    return inspector.format();
  }

  private WeChatException wrongFormat() {
    MediaFormat found = inspector.format();
    String what = found == MediaFormat.UNKNOWN
        ? "not in a format this server recognises"
        : found.wireName().toUpperCase(Locale.ROOT);
    return refuse(
        ErrorCode.INVALID_FILE_TYPE,
        "the file is " + what + ", but type=" + rule.type().wireName()
            + " takes "
            + rule.formats().stream()
                .map(f -> f.wireName().toUpperCase(Locale.ROOT))
                .sorted()
                .toList()
            + " only for " + product.wireName()
            + " apps (detected from the bytes, not from the file name or the part's"
            + " Content-Type)");
  }

  private WeChatException tooLong() {
    return refuse(
        ErrorCode.INVALID_VOICE_SIZE,
        "the audio lasts more than " + rule.maxAudioMillis() / 1000
            + " s (" + inspector.audioMillis() + " ms read so far); voice messages may last "
            + rule.maxAudioMillis() / 1000
            + " s at most");
  }

  private WeChatException refuse(ErrorCode code, String diagnosis) {
    return new WeChatException(code, product, diagnosis);
  }

  /** A WeCom "file" of no known format is served as what its name says, like a static file server would. */
  private static String guessFileType(String name) {
    String guess = java.net.URLConnection.guessContentTypeFromName(name.toLowerCase(Locale.ROOT));
    return guess == null ? MediaFormat.UNKNOWN.contentType() : guess;
  }
}
