package dev.tempmedia.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempmedia.auth.App;
import dev.tempmedia.config.TempmediaConfig.RuleSetName;
import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.media.rules.MediaType;
import dev.tempmedia.media.rules.RuleBook;
import dev.tempmedia.storage.Blob;
import dev.tempmedia.storage.BlobKey;
import dev.tempmedia.storage.BlobMeta;
import dev.tempmedia.storage.BlobWriter;
import dev.tempmedia.storage.local.LocalBlobStore;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.wechat.Product;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    VoiceEncoder missing =
        new VoiceEncoder(dir.resolve("no-ffmpeg").toString(), Duration.ofSeconds(5));
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
            new VoiceEncoder(dir.resolve("no-ffmpeg").toString(), Duration.ofSeconds(5)))) {
      Blob original = put(store, KEY, MediaSamples.mp3(3, 32));

      assertThatThrownBy(() -> renditions.amrOf(KEY, original)).isInstanceOf(IOException.class);
      assertThat(store.open(VoiceRenditions.renditionKey(KEY))).isEmpty();
      assertThat(store.open(KEY)).isPresent();
    }
  }

  @Test
  void aDownloadGetsTheMp3AndTheReasonWhenTheEncoderFails() throws IOException {
    try (LocalBlobStore store = LocalBlobStore.open(dir, false);
        VoiceRenditions renditions = new VoiceRenditions(
            null,
            store,
            new VoiceEncoder(dir.resolve("no-ffmpeg").toString(), Duration.ofSeconds(5)))) {
      Blob original = put(store, KEY, MediaSamples.mp3(3, 32));
      MediaService media = new MediaService(
          RuleBook.load(), RuleSetName.CLASSIC_2013, null, store, null, null, renditions);
      App app = new App(Product.OFFICIAL_ACCOUNT, "wx0000000000000001", List.of("s"), null);
      MediaId id =
          new MediaId(MediaType.VOICE, MediaFormat.MP3, CREATED, KEY.domainTag(), KEY.objectId());
      assertThat(media.deliversAsAmr(app, id)).isTrue();

      MediaService.Delivered delivered = media.amrOf(app, id, original);

      assertThat(delivered.blob()).isSameAs(original);
      assertThat(delivered.diagnosis()).startsWith("served the MP3 as uploaded instead of AMR: ");
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
