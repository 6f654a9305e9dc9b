package dev.tempmedia.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.auth.Signer;
import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.media.rules.MediaType;
import dev.tempmedia.wechat.Dialect;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MediaIdCodecTest {
  final MediaIdCodec codec =
      new MediaIdCodec(Signer.derive("k".repeat(32).getBytes(StandardCharsets.UTF_8), "t"));

  @Test
  void roundTripsWithWeChatsLengths() {
    MediaId id = codec.newId(MediaType.VOICE, MediaFormat.MP3, 1_795_000_000L, "wxA");
    String oa = codec.encode(id, "wxA", Dialect.OFFICIAL_ACCOUNT);
    String wecom = codec.encode(id, "wxA", Dialect.WECOM);
    assertThat(oa).hasSize(64).matches("[A-Za-z0-9_-]{64}");
    assertThat(wecom).hasSize(65).startsWith("3");
    MediaIdCodec.Decoded decoded = codec.decode(oa, "wxA", Dialect.OFFICIAL_ACCOUNT);
    assertThat(decoded.refusal()).isNull();
    assertThat(decoded.id()).isEqualTo(id);
    assertThat(codec.decode(wecom, "wxA", Dialect.WECOM).id()).isEqualTo(id);
    assertThat(codec.decode(oa, "wxA", Dialect.OFFICIAL_ACCOUNT))
        .as("read again, from what was read")
        .isEqualTo(decoded);
    assertThat(codec.decode(oa, "wxA", Dialect.WECOM).refusal())
        .as("a read id under the other dialect")
        .isEqualTo(MediaIdCodec.Refusal.MALFORMED);
  }

  @Test
  void anotherDomainIsNamedAndAForgeryIsNot() {
    MediaId id = codec.newId(MediaType.IMAGE, MediaFormat.PNG, 1_795_000_000L, "wxA");
    String text = codec.encode(id, "wxA", Dialect.OFFICIAL_ACCOUNT);
    // read once for its own domain first: a read already made decides nothing for another
    assertThat(codec.decode(text, "wxA", Dialect.OFFICIAL_ACCOUNT).id()).isEqualTo(id);
    assertThat(codec.decode(text, "wxB", Dialect.OFFICIAL_ACCOUNT).refusal())
        .isEqualTo(MediaIdCodec.Refusal.OTHER_DOMAIN);
    assertThat(codec.genuineFor(text, "wxA", Dialect.OFFICIAL_ACCOUNT)).isTrue();
    assertThat(codec.decode(text, "wxA", Dialect.WECOM).refusal())
        .isEqualTo(MediaIdCodec.Refusal.MALFORMED);
    assertThat(codec.decode(text.substring(1), "wxA", Dialect.OFFICIAL_ACCOUNT).refusal())
        .isEqualTo(MediaIdCodec.Refusal.MALFORMED);
  }

  @Test
  void everySingleCharacterChangeIsRejected() {
    MediaId id = codec.newId(MediaType.IMAGE, MediaFormat.JPEG, 1_795_000_000L, "wxA");
    String text = codec.encode(id, "wxA", Dialect.OFFICIAL_ACCOUNT);
    assertThat(codec.decode(text, "wxA", Dialect.OFFICIAL_ACCOUNT).id()).isEqualTo(id);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    Random random = new Random(1);
    for (int i = 0; i < 2000; i++) {
      char[] c = text.toCharArray();
      int at = random.nextInt(c.length);
      char replacement;
      do {
        replacement = alphabet.charAt(random.nextInt(alphabet.length()));
      } while (replacement == c[at]);
      c[at] = replacement;
      MediaIdCodec.Decoded d = codec.decode(new String(c), "wxA", Dialect.OFFICIAL_ACCOUNT);
      assertThat(d.id()).as("flip at %d", at).isNull();
    }
  }
}
