package dev.tempmedia.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The codec's memory of tokens already read changes no answer: only the text it read is known. */
class TokenCodecTest {
  private final TokenCodec codec = new TokenCodec(Signer.derive(new byte[32], "tokens"));
  private final TokenClaims claims =
      new TokenClaims(TokenKind.values()[0], "wx0000000000000001", 0, 3, 7, 1_795_000_000L);

  @Test
  void aTokenReadsToTheSameClaimsTheFirstTimeAndAfter() {
    String token = codec.encode(claims);
    assertThat(codec.decode(token)).contains(claims);
    assertThat(codec.decode(token)).contains(claims);
    assertThat(codec.decode(new String(token.toCharArray())))
        .as("by text, not identity")
        .contains(claims);
  }

  @Test
  void aKnownTokenVouchesForNoOtherText() {
    String token = codec.encode(claims);
    assertThat(codec.decode(token)).isPresent();
    char last = token.charAt(token.length() - 1);
    String altered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    assertThat(codec.decode(altered)).isEmpty();
    assertThat(codec.decode(token + "A")).isEmpty();
    assertThat(codec.decode(token.substring(1))).isEmpty();
  }

  @Test
  void anotherKeysCodecDoesNotReadIt() {
    String token = codec.encode(claims);
    assertThat(codec.decode(token)).isPresent();
    TokenCodec other = new TokenCodec(Signer.derive(new byte[32], "other"));
    assertThat(other.decode(token)).isEmpty();
    assertThat(other.decode(token)).isEmpty();
  }

  @Test
  void refusedTextsAreNotKept() {
    for (int i = 0; i < 2 * TokenCodec.KEPT_TOKENS; i++) {
      assertThat(codec.decode("not-a-token-" + i)).isEmpty();
    }
    assertThat(codec.keptTokens()).isZero();
  }
}
