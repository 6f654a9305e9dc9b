package dev.tempmedia.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdTest {
  @Test
  void aRidTextNamesTheSameIdAndSoTheSameWecomHint() {
    for (int i = 0; i < 1000; i++) {
      RequestId id = RequestId.next(1_795_000_000L + i);
      assertThat(RequestId.parse(id.rid())).contains(id);
      assertThat(RequestId.parse(id.rid()).orElseThrow().wecomHint()).isEqualTo(id.wecomHint());
    }
  }

  @Test
  void aRidIsThreeGroupsOfEightLowercaseHexDigits() {
    assertThat(new RequestId(0x6560a1b2L, 0x1a2b3c4d, 0xfe6f7a8b).rid())
        .isEqualTo("6560a1b2-1a2b3c4d-fe6f7a8b");
    assertThat(new RequestId(1, 0, -1).rid()).isEqualTo("00000001-00000000-ffffffff");
    assertThat(new RequestId(1_795_000_000L, Integer.MIN_VALUE, 0xabc).rid())
        .isEqualTo("6afd86c0-80000000-00000abc");
  }

  @Test
  void otherTextsNameNoId() {
    assertThat(RequestId.parse(null)).isEmpty();
    assertThat(RequestId.parse("")).isEmpty();
    assertThat(RequestId.parse("1795652485067185226798869")).isEmpty();
    assertThat(RequestId.parse("6560a1b2-1a2b3c4d-5e6f7a8")).isEmpty();
    assertThat(RequestId.parse("6560a1b2_1a2b3c4d_5e6f7a8b")).isEmpty();
    assertThat(RequestId.parse("6560a1b2-1a2b3c4d-5e6f7a8g")).isEmpty();
    assertThat(RequestId.parse("-560a1b2-1a2b3c4d-5e6f7a8b")).isEmpty();
    assertThat(RequestId.parse("6560a1b2-+a2b3c4d-5e6f7a8b")).isEmpty();
  }
}
