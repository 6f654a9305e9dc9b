package dev.tempmedia.http.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangeTest {

  @Test
  void lengthCountsBothEnds() {
    assertThat(new ByteRange(0, 0).length()).isEqualTo(1);
    assertThat(new ByteRange(0, 499).length()).isEqualTo(500);
    assertThat(new ByteRange(0, Long.MAX_VALUE - 1).length()).isEqualTo(Long.MAX_VALUE);
  }

  /** The examples of RFC 9110 §14.4. */
  @Test
  void contentRangeAsInRfc9110() {
    assertThat(new ByteRange(42, 1233).contentRange(1234)).isEqualTo("bytes 42-1233/1234");
    assertThat(ByteRange.unsatisfiedContentRange(1234)).isEqualTo("bytes */1234");
    assertThat(ByteRange.unsatisfiedContentRange(0)).isEqualTo("bytes */0");
  }

  @ParameterizedTest
  @CsvSource({"-1, 0", "5, 4", "-5, -1"})
  void rejectsImpossibleRanges(long first, long last) {
    assertThatThrownBy(() -> new ByteRange(first, last))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void contentRangeRejectsARangeBeyondTheLength() {
    assertThatThrownBy(() -> new ByteRange(0, 10).contentRange(10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ByteRange.unsatisfiedContentRange(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
