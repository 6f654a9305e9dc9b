package dev.tempmedia.media;

import dev.tempmedia.config.TempmediaConfig.Mp3Delivery;
import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.storage.Blob;
import dev.tempmedia.storage.BlobKey;
import dev.tempmedia.storage.BlobMeta;
import dev.tempmedia.storage.BlobStore;
import dev.tempmedia.storage.BlobWriter;
import dev.tempmedia.storage.ContentChecksum;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AMR renditions of voices uploaded as MP3 (SPEC §13, seed 004). The uploaded MP3 stays the
 * object its media_id names; its AMR is a second object in the same hour partition under a derived
 * key, so the expiry sweep drops both together and every {@link BlobStore} holds it without knowing
 * what it is. It is made in the background once the upload is acknowledged, or at the first download
 * that finds none; one encoding per object at a time.
 */
public final class VoiceRenditions implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VoiceRenditions.class);
  /** Appended to the 32 hex digits of an object id: no media_id's object has a longer one. */
  private static final String SUFFIX = "a3";

  /**
   * The suffix of a JS-SDK voice's Speex rendition (its HD voice, for {@code media/get/jssdk}); hex,
   * like every part of a key.
   */
  private static final String SPEEX_SUFFIX = "5e";

  /** What the Speex rendition's metadata says: served as {@code voice/speex}, named {@code .speex}. */
  public static final String SPEEX_FORMAT = "speex";

  public static final String SPEEX_CONTENT_TYPE = "voice/speex";

  private static final int OBJECT_ID_LENGTH = 32;

  private final Mp3Delivery override;
  private final BlobStore store;
  private final VoiceEncoder encoder;
  private final ConcurrentHashMap<BlobKey, CompletableFuture<Blob>> inFlight =
      new ConcurrentHashMap<>();

  /** @param override the delivery every app follows, or null for each app's rule set */
  public VoiceRenditions(Mp3Delivery override, BlobStore store, VoiceEncoder encoder) {
    this.override = override;
    this.store = store;
    this.encoder = encoder;
  }

  /** The configured delivery for every app ({@code voice.mp3Delivery}), or null. */
  public Mp3Delivery override() {
    return override;
  }

  public VoiceEncoder encoder() {
    return encoder;
  }

  /** Where the AMR of the object at {@code original} lives: the same partition, a derived id. */
  public static BlobKey renditionKey(BlobKey original) {
    return new BlobKey(original.domainTag(), original.createdAt(), original.objectId() + SUFFIX);
  }

  /** Where the Speex rendition of the JS-SDK voice at {@code original} lives. */
  public static BlobKey speexKey(BlobKey original) {
    return new BlobKey(
        original.domainTag(), original.createdAt(), original.objectId() + SPEEX_SUFFIX);
  }

  /** The Speex rendition of the voice at {@code key}: empty for a voice not made by the JS-SDK. Blocking. */
  public Optional<Blob> speexOf(BlobKey key) throws IOException {
    return store.open(speexKey(key));
  }

  /**
   * Encodes {@code audio} (any format ffmpeg reads) on the encoder's pool to {@code target}. Blocking:
   * waits at most the encoder's timeout plus as long again for the queue.
   */
  public byte[] encode(byte[] audio, VoiceEncoder.Target target) throws IOException {
    try {
      return encoder
          .submit(() -> encoder.encode(audio, target))
          .get(encoder.timeout().toMillis() * 2 + 1_000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException("the voice encoder did not answer in time", e);
    } catch (ExecutionException e) {
      throw new IOException(rootMessage(e), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the voice encoder", e);
    }
  }

  /** Stores {@code speex} as the Speex rendition of the committed voice at {@code original}. Blocking. */
  public void storeSpeex(BlobKey original, BlobMeta voice, byte[] speex) throws IOException {
    BlobWriter writer = store.create(speexKey(original));
    try {
      writer.write(ByteBuffer.wrap(speex));
      writer.commit(new BlobMeta(
          voice.type(),
          SPEEX_FORMAT,
          SPEEX_CONTENT_TYPE,
          "",
          speex.length,
          ContentChecksum.of(speex),
          voice.createdAt()));
    } catch (IOException | RuntimeException e) {
      writer.abort();
      throw e;
    }
  }

  /** Whether a listed key is a rendition rather than an uploaded object. */
  public static boolean isRendition(BlobKey key) {
    return key.objectId().length() != OBJECT_ID_LENGTH;
  }

  /** Starts making the AMR of a just-committed MP3 voice; failures are logged, downloads retry. */
  public void prepare(BlobKey original) {
    ensure(original, null).whenComplete((blob, e) -> {
      if (e != null) {
        LOG.warn("AMR rendition of {} not made after upload: {}", original.path(), rootMessage(e));
      }
    });
  }

  /**
   * The AMR of the object at {@code key}, made now if there is none yet. Blocking (a store read, or
   * waiting for the encoder, at most its timeout plus the queue's); throws with the reason.
   */
  public Blob amrOf(BlobKey key, Blob original) throws IOException {
    Optional<Blob> made = store.open(renditionKey(key));
    if (made.isPresent()) {
      return made.get();
    }
    try {
      return ensure(key, original)
          .get(encoder.timeout().toMillis() * 2 + 1_000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException("the AMR encoder did not answer in time", e);
    } catch (ExecutionException e) {
      throw new IOException(rootMessage(e), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the AMR encoder", e);
    }
  }

  /** Deletes the renditions (AMR, Speex) of the object at {@code original}, if any. Blocking. */
  public void delete(BlobKey original) throws IOException {
    store.delete(renditionKey(original));
    store.delete(speexKey(original));
  }

  private CompletableFuture<Blob> ensure(BlobKey key, Blob original) {
    CompletableFuture<Blob> started = new CompletableFuture<>();
    CompletableFuture<Blob> running = inFlight.putIfAbsent(key, started);
    if (running != null) {
      return running;
    }
    encoder.submit(() -> make(key, original)).whenComplete((blob, e) -> {
      inFlight.remove(key, started);
      if (e != null) {
        started.completeExceptionally(e);
      } else {
        started.complete(blob);
      }
    });
    return started;
  }

  /** Encodes and stores the rendition, unless another download or instance already did. On the encoder's pool. */
  private Blob make(BlobKey key, Blob known) throws IOException {
    BlobKey target = renditionKey(key);
    Optional<Blob> made = store.open(target);
    if (made.isPresent()) {
      return made.get();
    }
    Blob original = known != null
        ? known
        : store.open(key).orElseThrow(() -> new IOException("the uploaded voice is gone"));
    BlobMeta meta = original.meta();
    byte[] input;
    try (InputStream in = original.openRange(0, meta.size())) {
      input = in.readAllBytes();
    }
    byte[] amr = encoder.encode(input, VoiceEncoder.Target.AMR);
    BlobWriter writer = store.create(target);
    try {
      writer.write(ByteBuffer.wrap(amr));
      writer.commit(new BlobMeta(
          meta.type(),
          MediaFormat.AMR.wireName(),
          MediaFormat.AMR.contentType(),
          amrName(meta.filename()),
          amr.length,
          ContentChecksum.of(amr),
          meta.createdAt()));
    } catch (IOException | RuntimeException e) {
      writer.abort();
      throw e;
    }
    return store.open(target).orElseThrow(() -> new IOException("the AMR rendition vanished"));
  }

  private static String amrName(String uploaded) {
    if (uploaded.isEmpty()) {
      return "";
    }
    int dot = uploaded.lastIndexOf('.');
    return (dot > 0 ? uploaded.substring(0, dot) : uploaded) + ".amr";
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while ((t instanceof ExecutionException
            || t instanceof java.util.concurrent.CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  @Override
  public void close() {
    encoder.close();
  }
}
