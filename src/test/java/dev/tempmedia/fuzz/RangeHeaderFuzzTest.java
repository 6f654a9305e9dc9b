package dev.tempmedia.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tempmedia.http.semantics.ByteRange;
import dev.tempmedia.http.semantics.Preconditions;
import dev.tempmedia.http.semantics.RangeHeader;
import java.time.Instant;

/**
 * Range and the conditional fields that guard it, against objects of any size. Whatever the fields
 * say, the answer is the whole object, a range that lies inside it, or "unsatisfiable" with the
 * object's own length; never an exception. A single well-formed range-spec must also resolve
 * exactly as RFC 9110 §14.1.2 says.
 */
class RangeHeaderFuzzTest {

  @FuzzTest(maxDuration = "40s")
  void everyAnswerLiesInsideTheObject(FuzzedDataProvider data) {
    long length =
        data.consumeBoolean() ? data.consumeLong(0, 1 << 16) : data.consumeLong(0, Long.MAX_VALUE);
    switch (data.consumeInt(0, 2)) {
      case 0 -> singleSpecResolvesAsTheRfcSays(data, length);
      case 1 -> conditionalRequestStaysInside(data, length);
      default -> {
        RangeHeader.Result result = RangeHeader.parse(data.consumeRemainingAsString(), length);
        checkInside(result, length);
      }
    }
  }

  private static void singleSpecResolvesAsTheRfcSays(FuzzedDataProvider data, long length) {
    long first = data.consumeLong(0, Long.MAX_VALUE);
    long last = data.consumeLong(0, Long.MAX_VALUE);
    String unit = data.pickValue(new String[] {"bytes", "BYTES", "Bytes"});
    RangeHeader.Result expected;
    String header;
    switch (data.consumeInt(0, 2)) {
      case 0 -> {
        header = unit + "=" + first + "-" + last;
        expected = last < first
            ? new RangeHeader.Full()
            : length == 0 || first >= length
                ? new RangeHeader.Unsatisfiable(length)
                : new RangeHeader.Partial(new ByteRange(first, Math.min(last, length - 1)));
      }
      case 1 -> {
        header = unit + "=" + first + "-";
        expected = length == 0 || first >= length
            ? new RangeHeader.Unsatisfiable(length)
            : new RangeHeader.Partial(new ByteRange(first, length - 1));
      }
      default -> {
        header = unit + "=-" + last;
        expected = length == 0 || last == 0
            ? new RangeHeader.Unsatisfiable(length)
            : new RangeHeader.Partial(new ByteRange(Math.max(0, length - last), length - 1));
      }
    }
    RangeHeader.Result result = RangeHeader.parse(header, length);
    assertThat(result).as(header + " of " + length + " bytes").isEqualTo(expected);
    checkInside(result, length);
  }

  private static void conditionalRequestStaysInside(FuzzedDataProvider data, long length) {
    Preconditions.Representation representation = new Preconditions.Representation(
        data.consumeBoolean() ? "\"" + Long.toHexString(data.consumeLong()) + "\"" : null,
        data.consumeBoolean() ? Instant.ofEpochSecond(data.consumeLong(0, 253_402_300_799L)) : null,
        length);
    Preconditions.Request request = new Preconditions.Request(
        data.pickValue(new String[] {"GET", "HEAD", "POST"}),
        data.consumeString(80),
        field(data),
        field(data),
        field(data),
        field(data),
        field(data));
    Preconditions.Outcome outcome = Preconditions.evaluate(request, representation);
    if (outcome.kind() == Preconditions.Outcome.Kind.PARTIAL) {
      assertThat(request.method()).isEqualTo("GET");
      checkInside(outcome.range(), length);
    }
  }

  private static String field(FuzzedDataProvider data) {
    return data.consumeBoolean() ? data.consumeString(48) : null;
  }

  private static void checkInside(RangeHeader.Result result, long length) {
    if (result instanceof RangeHeader.Partial partial) {
      checkInside(partial.range(), length);
    } else if (result instanceof RangeHeader.Unsatisfiable unsatisfiable) {
      assertThat(unsatisfiable.totalLength()).isEqualTo(length);
      assertThat(unsatisfiable.contentRange()).isEqualTo("bytes */" + length);
    }
  }

  private static void checkInside(ByteRange range, long length) {
    assertThat(range.first()).isBetween(0L, range.last());
    assertThat(range.last()).isLessThan(length);
    assertThat(range.contentRange(length))
        .isEqualTo("bytes " + range.first() + "-" + range.last() + "/" + length);
  }
}
