package dev.tempmedia.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tempmedia.auth.Signer;
import dev.tempmedia.media.MediaId;
import dev.tempmedia.media.MediaIdCodec;
import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.media.rules.MediaType;
import dev.tempmedia.wechat.Dialect;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * media_ids come from clients, so decoding must answer a refusal for anything, never throw; and
 * an id it accepts must be the very text the server issued for it (re-encoding gives it back), so
 * no other spelling of an id exists. Inputs are either any text or a genuine id with a few edits.
 */
class MediaIdCodecFuzzTest {
  private static final MediaIdCodec CODEC = new MediaIdCodec(
      Signer.derive("fuzzing-key-".repeat(3).getBytes(StandardCharsets.UTF_8), "media-id"));
  private static final String[] DOMAINS = {"wx0123456789abcdef", "ww0123456789abcdef"};
  private static final Dialect[] DIALECTS = {
    Dialect.OFFICIAL_ACCOUNT, Dialect.MINI_PROGRAM, Dialect.WECOM
  };
  /** The formats an id can carry; a format without a code is refused by encode, not decode. */
  private static final MediaFormat[] FORMATS = MediaFormat.values();

  @FuzzTest(maxDuration = "40s")
  void onlyTheIssuedSpellingOfAnIdDecodes(FuzzedDataProvider data) {
    String domain = data.pickValue(DOMAINS);
    Dialect dialect = data.pickValue(DIALECTS);
    String text;
    MediaId genuine = null;
    if (data.consumeBoolean()) {
      String issuedFor = data.pickValue(DOMAINS);
      genuine = new MediaId(
          data.pickValue(MediaType.values()),
          data.pickValue(FORMATS),
          data.consumeLong(0, (1L << 40) - 1),
          CODEC.domainTag(issuedFor),
          HexFormat.of().formatHex(padded(data.consumeBytes(16))));
      text = TextEdits.apply(CODEC.encode(genuine, issuedFor, data.pickValue(DIALECTS)), data);
    } else {
      text = data.consumeRemainingAsString();
    }

    MediaIdCodec.Decoded decoded = CODEC.decode(text, domain, dialect);
    assertThat(decoded.id() == null)
        .as("an id or a refusal, not both")
        .isEqualTo(decoded.refusal() != null);
    if (decoded.id() != null) {
      assertThat(CODEC.encode(decoded.id(), domain, dialect)).isEqualTo(text);
    }
    if (genuine != null && text.equals(CODEC.encode(genuine, domain, dialect))) {
      assertThat(decoded.id()).as("the id issued for this domain").isEqualTo(genuine);
    }
    if (decoded.refusal() == MediaIdCodec.Refusal.OTHER_DOMAIN) {
      assertThat(decoded.foreignTag()).matches("[0-9a-f]{16}");
    }
    // Asked of a foreign id for each other domain of the caller; it must not throw on any text.
    CODEC.genuineFor(text, domain, dialect);
  }

  private static byte[] padded(byte[] bytes) {
    return java.util.Arrays.copyOf(bytes, 16);
  }
}
