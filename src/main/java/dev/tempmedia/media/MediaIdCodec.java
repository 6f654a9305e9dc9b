package dev.tempmedia.media;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tempmedia.auth.Signer;
import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.media.rules.MediaType;
import dev.tempmedia.wechat.Dialect;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Self-describing, signed media_ids: 48 bytes, which base64url spells in exactly WeChat's 64
 * characters. Expiry and ownership are checked from the id alone, so a forged, expired or foreign id
 * never costs a storage round trip, and any instance holding the key can verify any id.
 *
 * <pre>
 *   0      version (1)
 *   1      type code (MediaType)
 *   2      format code (below)
 *   3..8   created_at, Unix seconds, 5 bytes big-endian
 *   8..16  domain tag: keyed digest of the appid / corpid (the storage directory)
 *   16..32 object id, random
 *   32..48 HMAC-SHA256/128 of bytes 0..32 and the owning domain itself
 * </pre>
 *
 * Signing over the full domain name (not just its tag) means an id can only ever verify for the
 * domain it was issued to. WeCom ids carry the dialect's prefix ({@code "3"}) before the 64 characters.
 */
public final class MediaIdCodec {
  private static final int VERSION = 1;
  private static final int SIGNED_BYTES = 32;
  private static final int TOTAL_BYTES = SIGNED_BYTES + Signer.TAG_BYTES;
  static final int ENCODED_CHARS = 64;
  /** Format codes are part of the persisted id: never renumber, only add. */
  private static final MediaFormat[] FORMAT_CODES = {
    MediaFormat.UNKNOWN,
    MediaFormat.JPEG,
    MediaFormat.PNG,
    MediaFormat.GIF,
    MediaFormat.BMP,
    MediaFormat.AMR,
    MediaFormat.MP3,
    MediaFormat.MP4
  };

  private final Signer signer;
  private final SecureRandom random = new SecureRandom();
  /** Tags of the domains seen: one HMAC per app for the server's life instead of one per request. */
  private final java.util.Map<String, String> domainTags =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Ids already read, by their text, with the domain they were read for. A client downloads the
   * same media again and again, and each read verified its HMAC-SHA256 again: 5–7 % of a 64 KiB
   * download's Java samples. Exact, as the token codec's cache is: reading is a pure function of the
   * text and the domain under this codec's key, and only ids that read as genuine are kept, at most
   * {@link #KEPT_IDS}. Whether the media still exists or has expired is checked on every call by the
   * caller.
   */
  static final int KEPT_IDS = 16_384;

  private record Genuine(String domain, Decoded decoded) {}

  private final Cache<String, Genuine> read =
      Caffeine.newBuilder().maximumSize(KEPT_IDS).build();

  public MediaIdCodec(Signer signer) {
    this.signer = signer;
  }

  /** The storage directory name of a domain: not the appid itself, so the layout reveals no app. */
  public String domainTag(String domain) {
    String tag = domainTags.get(domain);
    if (tag == null) {
      tag = HexFormat.of().formatHex(signer.tagOf("domain\n" + domain), 0, 8);
      if (domainTags.size() < 100_000) {
        domainTags.put(domain, tag);
      }
    }
    return tag;
  }

  /** A new id for an object about to be stored. */
  public MediaId newId(MediaType type, MediaFormat format, long createdAt, String domain) {
    byte[] objectId = new byte[16];
    random.nextBytes(objectId);
    return new MediaId(
        type, format, createdAt, domainTag(domain), HexFormat.of().formatHex(objectId));
  }

  public String encode(MediaId id, String domain, Dialect dialect) {
    byte[] b = new byte[TOTAL_BYTES];
    b[0] = VERSION;
    b[1] = (byte) id.type().code();
    b[2] = (byte) formatCode(id.format());
    long t = id.createdAt();
    for (int i = 7; i >= 3; i--) {
      b[i] = (byte) t;
      t >>>= 8;
    }
    System.arraycopy(HexFormat.of().parseHex(id.domainTag()), 0, b, 8, 8);
    System.arraycopy(HexFormat.of().parseHex(id.objectId()), 0, b, 16, 16);
    signer.sign(b, SIGNED_BYTES, domain.getBytes(StandardCharsets.UTF_8));
    return dialect.mediaIdPrefix() + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Why an id was refused, for the diagnosis; the client only ever sees 40007. */
  public enum Refusal {
    MALFORMED,
    OTHER_DOMAIN,
    FORGED
  }

  /** The outcome of decoding: the id, or why not (with the foreign domain tag when that is the reason). */
  public record Decoded(MediaId id, Refusal refusal, String foreignTag) {}

  public Decoded decode(String text, String domain, Dialect dialect) {
    String prefix = dialect.mediaIdPrefix();
    if (text == null
        || text.length() != prefix.length() + ENCODED_CHARS
        || !text.startsWith(prefix)) {
      return new Decoded(null, Refusal.MALFORMED, null);
    }
    Genuine known = read.getIfPresent(text);
    if (known != null && known.domain().equals(domain)) {
      return known.decoded();
    }
    Decoded decoded = verify(text, prefix, domain);
    if (decoded.id() != null) {
      read.put(text, new Genuine(domain, decoded));
    }
    return decoded;
  }

  private Decoded verify(String text, String prefix, String domain) {
    byte[] b;
    try {
      b = Base64.getUrlDecoder().decode(text.substring(prefix.length()));
    } catch (IllegalArgumentException e) {
      return new Decoded(null, Refusal.MALFORMED, null);
    }
    if (b.length != TOTAL_BYTES || b[0] != VERSION) {
      return new Decoded(null, Refusal.MALFORMED, null);
    }
    String tag = HexFormat.of().formatHex(b, 8, 16);
    if (!tag.equals(domainTag(domain))) {
      // Only a genuine id can name another domain: check it was ours before saying so.
      return new Decoded(null, Refusal.OTHER_DOMAIN, tag);
    }
    if (!signer.verify(b, SIGNED_BYTES, domain.getBytes(StandardCharsets.UTF_8))) {
      return new Decoded(null, Refusal.FORGED, null);
    }
    Optional<MediaType> type = MediaType.byCode(b[1]);
    int formatCode = b[2] & 0xFF;
    if (type.isEmpty() || formatCode >= FORMAT_CODES.length) {
      return new Decoded(null, Refusal.MALFORMED, null);
    }
    long createdAt = 0;
    for (int i = 3; i < 8; i++) {
      createdAt = (createdAt << 8) | (b[i] & 0xFF);
    }
    MediaId id = new MediaId(
        type.get(), FORMAT_CODES[formatCode], createdAt, tag, HexFormat.of().formatHex(b, 16, 32));
    return new Decoded(id, null, null);
  }

  /** Whether a foreign id is genuine for {@code domain} (to name the owner in a diagnosis). */
  public boolean genuineFor(String text, String domain, Dialect dialect) {
    String prefix = dialect.mediaIdPrefix();
    try {
      byte[] b = Base64.getUrlDecoder().decode(text.substring(prefix.length()));
      return b.length == TOTAL_BYTES
          && signer.verify(b, SIGNED_BYTES, domain.getBytes(StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      return false;
    }
  }

  private static int formatCode(MediaFormat format) {
    int i = Arrays.asList(FORMAT_CODES).indexOf(format);
    if (i < 0) {
      throw new IllegalArgumentException("no media_id code for format " + format);
    }
    return i;
  }
}
