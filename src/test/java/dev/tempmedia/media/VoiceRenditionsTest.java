package dev.tempmedia.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempmedia.storage.Blob;
import dev.tempmedia.storage.BlobKey;
import dev.tempmedia.storage.BlobMeta;
import dev.tempmedia.storage.BlobWriter;
import dev.tempmedia.storage.local.LocalBlobStore;
import dev.tempmedia.testing.MediaSamples;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where renditions live, how they go, and what happens without a working encoder. */
class VoiceRenditionsTest {
  private static final long CREATED = 1_700_000_123L;
  private static final BlobKey KEY =
      new BlobKey("0123456789abcdef", CREATED, "00112233445566778899aabbccddeeff");

  @TempDir
  Path dir;

  @Test
  void theRenditionLivesInItsOriginalsPartitionUnderAKeyNoUploadHas() {
    BlobKey amr = VoiceRenditions.renditionKey(KEY);
    assertThat(amr.partition()).isEqualTo(KEY.partition());
    assertThat(amr).isNotEqualTo(KEY);
    assertThat(VoiceRenditions.isRendition(amr)).isTrue();
    assertThat(VoiceRenditions.isRendition(KEY)).isFalse();
  }

  @Test
  void theExpirySweepRemovesTheRenditionWithItsOriginal() throws IOException {
    try (LocalBlobStore store = LocalBlobStore.open(dir, false)) {
      put(store, KEY, MediaSamples.mp3(3, 32));
      put(store, VoiceRenditions.renditionKey(KEY), MediaSamples.amr(3));
      assertThat(store.list(KEY.partition())).hasSize(2);

      long removed = ExpiryPolicy.MEDIA.sweep(store, CREATED + 4 * 86_400);

      assertThat(removed).isEqualTo(2);
      assertThat(store.open(KEY)).isEmpty();
      assertThat(store.open(VoiceRenditions.renditionKey(KEY))).isEmpty();
    }
  }

  @Test
  void aMissingEncoderNamesThePackagesToInstall() {
    AmrEncoder missing = new AmrEncoder(dir.resolve("no-ffmpeg").toString(), Duration.ofSeconds(5));
    assertThat(missing.unavailable())
        .hasValueSatisfying(
            why -> assertThat(why).contains("apt-get install ffmpeg libavcodec-extra"));
    missing.close();
  }

  @Test
  void aFailedEncodingIsReportedAndLeavesNoRendition() throws IOException {
    try (LocalBlobStore store = LocalBlobStore.open(dir, false);
        VoiceRenditions renditions = new VoiceRenditions(
            null,
            store,
            new AmrEncoder(dir.resolve("no-ffmpeg").toString(), Duration.ofSeconds(5)))) {
      Blob original = put(store, KEY, MediaSamples.mp3(3, 32));

      assertThatThrownBy(() -> renditions.amrOf(KEY, original)).isInstanceOf(IOException.class);
      assertThat(store.open(VoiceRenditions.renditionKey(KEY))).isEmpty();
      assertThat(store.open(KEY)).isPresent();
    }
  }

  private static Blob put(LocalBlobStore store, BlobKey key, byte[] bytes) throws IOException {
    BlobWriter w = store.create(key);
    w.write(ByteBuffer.wrap(bytes));
    w.commit(new BlobMeta(
        "voice", "mp3", "audio/mpeg", "", bytes.length, MediaSamples.sha256(bytes), CREATED));
    return store.open(key).orElseThrow();
  }
}
