package dev.tempmedia.http.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.tempmedia.http.semantics.RangeHeader.Full;
import dev.tempmedia.http.semantics.RangeHeader.Partial;
import dev.tempmedia.http.semantics.RangeHeader.Result;
import dev.tempmedia.http.semantics.RangeHeader.Unsatisfiable;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RangeHeaderTest {

  private static final long HUGE = Long.MAX_VALUE;

  private static Partial partial(long first, long last) {
    return new Partial(new ByteRange(first, last));
  }

  /** The byte-range examples of RFC 9110 §14.1.2, for a representation of 10000 bytes. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "bytes=0-499    | 0    | 499",
        "bytes=500-999  | 500  | 999",
        "bytes=-500     | 9500 | 9999",
        "bytes=9500-    | 9500 | 9999",
      })
  void rfc9110Examples(String header, long first, long last) {
    assertThat(RangeHeader.parse(header, 10000)).isEqualTo(partial(first, last));
  }

  /** RFC 9110 §14.1.2's multi-range examples: we answer them with the whole body. */
  @ParameterizedTest
  @ValueSource(strings = {"bytes=0-0,-1", "bytes=500-600,601-999", "bytes=500-700,601-999"})
  void rfc9110MultipleRangeExamplesAreServedWhole(String header) {
    assertThat(RangeHeader.parse(header, 10000)).isInstanceOf(Full.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "bytes=0-0       | 0  | 0",
        "bytes=0-99      | 0  | 99",
        "bytes=0-100     | 0  | 99", // last-pos at the end: clamped (§14.1.2)
        "bytes=10-99999  | 10 | 99",
        "bytes=99-       | 99 | 99",
        "bytes=0-        | 0  | 99",
        "bytes=-1        | 99 | 99",
        "bytes=-100      | 0  | 99",
        "bytes=-101      | 0  | 99", // suffix longer than the file: all of it, still 206
        "bytes=-99999    | 0  | 99",
        "bytes=007-010   | 7  | 10", // leading zeros are still 1*DIGIT
        "bytes=5-5       | 5  | 5",
      })
  void singleSatisfiableRange(String header, long first, long last) {
    assertThat(RangeHeader.parse(header, 100)).isEqualTo(partial(first, last));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bytes=100-",
        "bytes=100-100",
        "bytes=100-200",
        "bytes=1000-",
        "bytes=-0",
        "bytes=-000"
      })
  void unsatisfiableRange(String header) {
    Result result = RangeHeader.parse(header, 100);
    assertThat(result).isEqualTo(new Unsatisfiable(100));
    assertThat(((Unsatisfiable) result).contentRange()).isEqualTo("bytes */100");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=0-", "bytes=0-0", "bytes=-1", "bytes=-0", "bytes=0-1,-5"})
  void nothingOfAnEmptyRepresentationIsSatisfiable(String header) {
    assertThat(RangeHeader.parse(header, 0)).isEqualTo(new Unsatisfiable(0));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "   ",
        "items=0-1", // another unit must be ignored (§14.2)
        "byte=0-1",
        "bytesx=0-1",
        "bytes",
        "bytes 0-1", // missing '='
        "bytes:0-1",
        "=0-1",
        "bytes=",
        "bytes=,",
        "bytes=, ,\t,",
        "bytes=-",
        "bytes=--1",
        "bytes=0--1",
        "bytes=-5-10",
        "bytes=1-0", // last-pos < first-pos is invalid (§14.1.1)
        "bytes=a-b",
        "bytes=0-b",
        "bytes=0x10-",
        "bytes=+1-2",
        "bytes=1-+2",
        "bytes=1.5-2",
        "bytes=1e3-",
        "bytes=0-1;",
        "bytes=0-1-2",
        "bytes=0 -1",
        "bytes=0- 1",
        "bytes =0-1",
        "bytes= =0-1",
        "bytes==0-1",
        "bytes=\u0661-\u0662", // Arabic-Indic digits are not DIGIT
        "bytes=０-１", // neither are full-width ones
        "bytes=0-1,x", // one bad member spoils the set
        "bytes=x,0-1",
        "bytes=0-1\r\nX-Injected: 1",
      })
  void ignoredAsInvalidOrForeign(String header) {
    assertThat(RangeHeader.parse(header, 100)).isInstanceOf(Full.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        " bytes=0-9 ",
        "\tbytes=0-9\t",
        "bytes=0-9 ",
        "bytes= 0-9",
        "bytes=0-9 ,",
        "bytes=,0-9",
        "bytes=0-9,,,",
        "bytes= , 0-9 , ",
        "Bytes=0-9", // range units are case-insensitive (§14.1)
        "BYTES=0-9",
      })
  void toleratesListWhitespaceEmptyMembersAndCase(String header) {
    assertThat(RangeHeader.parse(header, 100)).isEqualTo(partial(0, 9));
  }

  @Test
  void severalRangesAreServedWholeIfAnyIsSatisfiable() {
    assertThat(RangeHeader.parse("bytes=0-1,5-6", 100)).isInstanceOf(Full.class);
    assertThat(RangeHeader.parse("bytes=0-1,0-1", 100)).isInstanceOf(Full.class);
    assertThat(RangeHeader.parse("bytes=200-,0-1", 100)).isInstanceOf(Full.class);
    assertThat(RangeHeader.parse("bytes=0-1,200-", 100)).isInstanceOf(Full.class);
    assertThat(RangeHeader.parse("bytes=-0,-1", 100)).isInstanceOf(Full.class);
  }

  @Test
  void severalRangesNoneSatisfiableIs416() {
    assertThat(RangeHeader.parse("bytes=100-,200-300", 100)).isEqualTo(new Unsatisfiable(100));
    assertThat(RangeHeader.parse("bytes=-0, -0", 100)).isEqualTo(new Unsatisfiable(100));
  }

  @Test
  void numbersBeyondLongAreBeyondTheEndNotACrash() {
    String twenty = "99999999999999999999";
    assertThat(RangeHeader.parse("bytes=" + twenty + "-", 100)).isEqualTo(new Unsatisfiable(100));
    assertThat(RangeHeader.parse("bytes=" + twenty + "-", HUGE)).isEqualTo(new Unsatisfiable(HUGE));
    assertThat(RangeHeader.parse("bytes=0-" + twenty, 100)).isEqualTo(partial(0, 99));
    assertThat(RangeHeader.parse("bytes=-" + twenty, 100)).isEqualTo(partial(0, 99));
    assertThat(RangeHeader.parse("bytes=-9223372036854775808", 100)).isEqualTo(partial(0, 99));
    assertThat(RangeHeader.parse("bytes=9223372036854775807-", 100))
        .isEqualTo(new Unsatisfiable(100));
    // Both ends overflow: still compared exactly, so a reversed pair stays invalid.
    assertThat(RangeHeader.parse("bytes=99999999999999999999-99999999999999999998", 100))
        .isInstanceOf(Full.class);
    assertThat(RangeHeader.parse("bytes=99999999999999999998-99999999999999999999", 100))
        .isEqualTo(new Unsatisfiable(100));
    assertThat(RangeHeader.parse("bytes=0000000000000000000000000001-2", 100))
        .isEqualTo(partial(1, 2));
    assertThat(RangeHeader.parse("bytes=10-0000000000000000000000000009", 100))
        .isInstanceOf(Full.class);
  }

  @Test
  void lengthsAtTheTopOfLong() {
    assertThat(RangeHeader.parse("bytes=0-", HUGE)).isEqualTo(partial(0, HUGE - 1));
    assertThat(RangeHeader.parse("bytes=-1", HUGE)).isEqualTo(partial(HUGE - 1, HUGE - 1));
    assertThat(RangeHeader.parse("bytes=" + (HUGE - 1) + "-", HUGE))
        .isEqualTo(partial(HUGE - 1, HUGE - 1));
  }

  @Test
  void aThousandCommasAreJustEmptyMembers() {
    assertThat(RangeHeader.parse("bytes=" + ",".repeat(1000) + "0-9", 100))
        .isEqualTo(partial(0, 9));
  }

  @Test
  void boundsTheWork() {
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
      assertThat(RangeHeader.parse("bytes=" + "0-1,".repeat(200_000), 100))
          .isInstanceOf(Full.class);
      assertThat(RangeHeader.parse("bytes=" + "9".repeat(1_000_000) + "-", 100))
          .isInstanceOf(Full.class);
      assertThat(RangeHeader.parse("bytes=" + ",".repeat(1_000_000), 100)).isInstanceOf(Full.class);
    });
  }

  @Test
  void tooManyRangesAreIgnoredEvenIfNoneIsSatisfiable() {
    String many = "bytes=" + "500-,".repeat(RangeHeader.MAX_RANGES);
    assertThat(RangeHeader.parse(many, 100)).isEqualTo(new Unsatisfiable(100));
    assertThat(RangeHeader.parse(many + "500-", 100)).isInstanceOf(Full.class);
  }

  @Test
  void fieldsAtTheLengthLimit() {
    String atLimit = "bytes=" + "0".repeat(RangeHeader.MAX_FIELD_LENGTH - 8) + "1-";
    assertThat(atLimit).hasSize(RangeHeader.MAX_FIELD_LENGTH);
    assertThat(RangeHeader.parse(atLimit, 100)).isEqualTo(partial(1, 99));
    assertThat(RangeHeader.parse(atLimit + " ", 100)).isInstanceOf(Full.class);
  }

  @Test
  void rejectsANegativeLength() {
    assertThatThrownBy(() -> RangeHeader.parse("bytes=0-1", -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
