package dev.tempmedia.auth;

import java.util.Optional;

/** Lets tests outside this package issue and read tokens without widening the codec's visibility. */
public final class TokenCodecProbe {
  public static final int MAX_LENGTH = TokenCodec.MAX_LENGTH;
  public static final int KINDS = TokenKind.values().length;

  private final TokenCodec codec;

  public TokenCodecProbe(Signer signer) {
    this.codec = new TokenCodec(signer);
  }

  /** A token with these claims; {@code kind} is an index into the token kinds. */
  public String issue(
      int kind, String appId, int secretIndex, int epoch, long generation, long issuedAt) {
    return codec.encode(
        new TokenClaims(TokenKind.values()[kind], appId, secretIndex, epoch, generation, issuedAt));
  }

  /** The token the decoded claims encode to, or empty when the codec refuses {@code token}. */
  public Optional<String> reissue(String token) {
    return codec.decode(token).map(codec::encode);
  }
}
