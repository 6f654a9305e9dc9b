package dev.tempmedia.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.storage.BlobMeta;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The user metadata an object carries in S3, read back as it was written and as earlier versions wrote it. */
class S3MetadataTest {
  static final BlobMeta META =
      new BlobMeta("voice", "amr", "audio/amr", "留言 1.amr", 42, "crc32c:0badf00d", 1_764_000_000L);

  @Test
  void whatIsWrittenReadsBackTheSame() {
    Map<String, String> m = S3Metadata.encode(META);
    assertThat(m).containsEntry("tm-checksum", "crc32c:0badf00d").doesNotContainKey("tm-sha256");
    assertThat(S3Metadata.decode(m, "audio/amr")).contains(META);
  }

  @Test
  void anObjectStoredByAnEarlierVersionIsReadWithItsSha256() {
    Map<String, String> m = new HashMap<>(S3Metadata.encode(META));
    m.remove("tm-checksum");
    m.put("tm-sha256", "ab".repeat(32));
    assertThat(S3Metadata.decode(m, "audio/amr").orElseThrow().checksum())
        .isEqualTo("ab".repeat(32));
  }

  @Test
  void anObjectWithoutEitherWasNeverCommitted() {
    Map<String, String> m = new HashMap<>(S3Metadata.encode(META));
    m.remove("tm-checksum");
    assertThat(S3Metadata.decode(m, "audio/amr")).isEmpty();
  }
}
