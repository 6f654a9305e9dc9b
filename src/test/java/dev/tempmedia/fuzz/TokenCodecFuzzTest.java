package dev.tempmedia.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tempmedia.auth.Signer;
import dev.tempmedia.auth.TokenCodecProbe;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * access_token values come from clients, so decoding must refuse anything it cannot read, never
 * throw; and a token it accepts must be the very text the server issued (its claims re-encode to
 * it), so that a token has exactly one spelling. Inputs are either any text or a genuine token
 * with a few edits: forging a signature is out of a fuzzer's reach, re-spelling a genuine one is not.
 */
class TokenCodecFuzzTest {
  private static final TokenCodecProbe CODEC = new TokenCodecProbe(
      Signer.derive("fuzzing-key-".repeat(3).getBytes(StandardCharsets.UTF_8), "tokens"));
  private static final String[] APP_IDS = {"wx0123456789abcdef", "ww0123456789abcdef", "wxA", ""};

  @FuzzTest(maxDuration = "40s")
  void onlyTheIssuedSpellingOfATokenDecodes(FuzzedDataProvider data) {
    String token;
    if (data.consumeBoolean()) {
      String issued = CODEC.issue(
          data.consumeInt(0, TokenCodecProbe.KINDS - 1),
          data.pickValue(APP_IDS),
          data.consumeInt(0, 255),
          data.consumeInt(),
          data.consumeLong(),
          data.consumeLong());
      token = TextEdits.apply(issued, data);
      if (token.equals(issued)) {
        assertThat(CODEC.reissue(token)).as("a token as issued").contains(issued);
      }
    } else {
      token = data.consumeRemainingAsString();
    }
    Optional<String> reissued = CODEC.reissue(token);
    reissued.ifPresent(
        canonical -> assertThat(canonical).as("the token as issued").isEqualTo(token));
  }
}
