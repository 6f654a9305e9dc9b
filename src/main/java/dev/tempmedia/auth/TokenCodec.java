package dev.tempmedia.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Access tokens are self-describing and sealed: version, kind, secret index, app epoch, generation,
 * issue time and appid, then a 16-byte HMAC, all in unpadded base64url. Any instance holding the key
 * can read one without a lookup; nobody without it can make one. The same claims always give the
 * same token, so a line's current token can be handed out again without storing it.
 */
final class TokenCodec {
  /** Longer input is refused before any decoding work (SPEC: tokens are at most 512 characters). */
  static final int MAX_LENGTH = 512;

  private static final byte VERSION = 1;
  private static final int FIXED = 1 + 1 + 1 + 4 + 8 + 8 + 1;
  private static final TokenKind[] KINDS = TokenKind.values();

  /**
   * Tokens already read, by their text. An app sends the same token with every call for its two
   * hours, and reading one (two base64 passes and an HMAC) was a tenth of a small download's CPU.
   * Exact: reading is a pure function of the text under this codec's key, and only genuine tokens,
   * which only this server makes, are kept, at most {@link #KEPT_TOKENS} of them. What a token's
   * claims still allow (epoch, generation, expiry) is checked on every call by the caller.
   */
  static final int KEPT_TOKENS = 4096;

  private final Cache<String, TokenClaims> read =
      Caffeine.newBuilder().maximumSize(KEPT_TOKENS).build();

  private final Signer signer;

  TokenCodec(Signer signer) {
    this.signer = signer;
  }

  String encode(TokenClaims claims) {
    byte[] id = claims.appId().getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[FIXED + id.length + Signer.TAG_BYTES];
    ByteBuffer buf = ByteBuffer.wrap(out);
    buf.put(VERSION)
        .put((byte) claims.kind().ordinal())
        .put((byte) claims.secretIndex())
        .putInt(claims.epoch())
        .putLong(claims.generation())
        .putLong(claims.issuedAt())
        .put((byte) id.length)
        .put(id);
    signer.sign(out, buf.position());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
  }

  Optional<TokenClaims> decode(String token) {
    TokenClaims known = read.getIfPresent(token);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<TokenClaims> claims = read(token);
    claims.ifPresent(c -> read.put(token, c));
    return claims;
  }

  /** How many tokens are kept (for tests). */
  long keptTokens() {
    read.cleanUp();
    return read.estimatedSize();
  }

  private Optional<TokenClaims> read(String token) {
    if (token.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    // The decoder also takes '=' padding and ignores the unused low bits of the last character, so
    // a genuine token could be re-spelt in many ways that all verify. A token has one spelling, the
    // one encode gives, so that whatever tells tokens apart by their text (logs, clients' caches,
    // anything keyed on the string) sees one token as one.
    if (!Base64.getUrlEncoder().withoutPadding().encodeToString(raw).equals(token)) {
      return Optional.empty();
    }
    if (raw.length < FIXED + Signer.TAG_BYTES) {
      return Optional.empty();
    }
    int idLength = raw[FIXED - 1] & 0xff;
    int signed = FIXED + idLength;
    if (raw.length != signed + Signer.TAG_BYTES
        || raw[0] != VERSION
        || !signer.verify(raw, signed)) {
      return Optional.empty();
    }
    ByteBuffer buf = ByteBuffer.wrap(raw, 1, signed - 1);
    int kind = buf.get();
    if (kind < 0 || kind >= KINDS.length) {
      return Optional.empty();
    }
    int secretIndex = buf.get() & 0xff;
    int epoch = buf.getInt();
    long generation = buf.getLong();
    long issuedAt = buf.getLong();
    buf.get();
    String appId = new String(raw, FIXED, idLength, StandardCharsets.US_ASCII);
    return Optional.of(
        new TokenClaims(KINDS[kind], appId, secretIndex, epoch, generation, issuedAt));
  }
}
