package dev.tempmedia.http.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempmedia.http.semantics.Preconditions.Outcome;
import dev.tempmedia.http.semantics.Preconditions.Outcome.Kind;
import dev.tempmedia.http.semantics.Preconditions.Representation;
import dev.tempmedia.http.semantics.Preconditions.Request;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PreconditionsTest {

  private static final String ETAG = "\"v1\"";
  /** Stored with sub-second precision; the Last-Modified we send says 10:00:00. */
  private static final Instant STORED = Instant.parse("2024-05-01T10:00:00.750Z");

  private static final String LAST_MODIFIED = "Wed, 01 May 2024 10:00:00 GMT";
  private static final String SECOND_BEFORE = "Wed, 01 May 2024 09:59:59 GMT";
  private static final String SECOND_AFTER = "Wed, 01 May 2024 10:00:01 GMT";

  private static final Representation REP = new Representation(ETAG, STORED, 1000);

  private static final Request GET = Request.of("GET");
  private static final Request HEAD = Request.of("HEAD");

  private static Outcome evaluate(Request r) {
    return Preconditions.evaluate(r, REP);
  }

  private static Outcome partial(long first, long last) {
    return Outcome.partial(new ByteRange(first, last));
  }

  @Test
  void unconditionalRequestsGetTheWholeBody() {
    assertThat(evaluate(GET)).isEqualTo(Outcome.OK_FULL);
    assertThat(evaluate(HEAD)).isEqualTo(Outcome.OK_FULL);
  }

  @Test
  void outcomesCarryTheirStatusCodes() {
    assertThat(Outcome.OK_FULL.status()).isEqualTo(200);
    assertThat(partial(0, 1).status()).isEqualTo(206);
    assertThat(Outcome.NOT_MODIFIED.status()).isEqualTo(304);
    assertThat(Outcome.PRECONDITION_FAILED.status()).isEqualTo(412);
    assertThat(Outcome.RANGE_NOT_SATISFIABLE.status()).isEqualTo(416);
    assertThatThrownBy(() -> new Outcome(Kind.PARTIAL, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Outcome(Kind.OK_FULL, new ByteRange(0, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** RFC 9110 §13.1.1: strong comparison, "*" for any current representation. */
  @Nested
  class IfMatch {
    @ParameterizedTest
    @ValueSource(strings = {"\"v1\"", "*", " * ", "\"v0\", \"v1\"", "\"v1\",\"v2\"", "xx, \"v1\""})
    void passes(String field) {
      assertThat(evaluate(GET.withIfMatch(field))).isEqualTo(Outcome.OK_FULL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"v2\"", "W/\"v1\"", "v1", "\"V1\"", "\"v1", "\"v0\", W/\"v1\"", ","})
    void fails(String field) {
      assertThat(evaluate(GET.withIfMatch(field))).isEqualTo(Outcome.PRECONDITION_FAILED);
      assertThat(evaluate(HEAD.withIfMatch(field))).isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    void comesFirst() {
      Request r = GET.withIfMatch("\"v2\"")
          .withIfNoneMatch(ETAG)
          .withIfModifiedSince(LAST_MODIFIED)
          .withRange("bytes=0-1");
      assertThat(evaluate(r)).isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    void anEmptyFieldCountsAsAbsent() {
      assertThat(evaluate(GET.withIfMatch(""))).isEqualTo(Outcome.OK_FULL);
      assertThat(evaluate(GET.withIfMatch("  "))).isEqualTo(Outcome.OK_FULL);
    }

    @Test
    void withoutAnEtagOnlyTheWildcardPasses() {
      Representation noEtag = new Representation(null, STORED, 1000);
      assertThat(Preconditions.evaluate(GET.withIfMatch(ETAG), noEtag))
          .isEqualTo(Outcome.PRECONDITION_FAILED);
      assertThat(Preconditions.evaluate(GET.withIfMatch("*"), noEtag)).isEqualTo(Outcome.OK_FULL);
    }
  }

  /** RFC 9110 §13.1.4, step 2 of §13.2.2. */
  @Nested
  class IfUnmodifiedSince {
    @ParameterizedTest
    @ValueSource(
        strings = {
          LAST_MODIFIED,
          SECOND_AFTER,
          "Sat, 01 Jan 2050 00:00:00 GMT",
          "not a date",
          "Wed, 01 May 2024 09:59:59 EST"
        })
    void passesWhenUnmodifiedOrUnreadable(String field) {
      assertThat(evaluate(GET.withIfUnmodifiedSince(field))).isEqualTo(Outcome.OK_FULL);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {SECOND_BEFORE, "Tuesday, 30-Apr-24 10:00:00 GMT", "Thu Jan  1 00:00:00 1970"})
    void failsWhenModifiedSince(String field) {
      assertThat(evaluate(GET.withIfUnmodifiedSince(field))).isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    void isIgnoredWhenIfMatchIsPresent() {
      assertThat(evaluate(GET.withIfMatch(ETAG).withIfUnmodifiedSince(SECOND_BEFORE)))
          .isEqualTo(Outcome.OK_FULL);
    }

    @Test
    void isIgnoredWithoutAModificationDate() {
      Representation undated = new Representation(ETAG, null, 1000);
      assertThat(Preconditions.evaluate(GET.withIfUnmodifiedSince(SECOND_BEFORE), undated))
          .isEqualTo(Outcome.OK_FULL);
    }

    @Test
    void beatsIfNoneMatch() {
      assertThat(evaluate(GET.withIfUnmodifiedSince(SECOND_BEFORE).withIfNoneMatch(ETAG)))
          .isEqualTo(Outcome.PRECONDITION_FAILED);
    }
  }

  /** RFC 9110 §13.1.2: weak comparison, 304 for GET and HEAD. */
  @Nested
  class IfNoneMatch {
    @ParameterizedTest
    @ValueSource(strings = {"\"v1\"", "W/\"v1\"", "*", "\"v0\", W/\"v1\"", "garbage, \"v1\""})
    void matchesGiveNotModified(String field) {
      assertThat(evaluate(GET.withIfNoneMatch(field))).isEqualTo(Outcome.NOT_MODIFIED);
      assertThat(evaluate(HEAD.withIfNoneMatch(field))).isEqualTo(Outcome.NOT_MODIFIED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"v2\"", "v1", "\"v1", "W/\"v2\", \"v3\"", "w/\"v1\""})
    void othersGiveTheBody(String field) {
      assertThat(evaluate(GET.withIfNoneMatch(field))).isEqualTo(Outcome.OK_FULL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "get"}) // methods are case-sensitive (§9.1)
    void otherMethodsFailInstead(String method) {
      assertThat(evaluate(Request.of(method).withIfNoneMatch(ETAG)))
          .isEqualTo(Outcome.PRECONDITION_FAILED);
      assertThat(evaluate(Request.of(method).withIfNoneMatch("\"v2\""))).isEqualTo(Outcome.OK_FULL);
    }

    @Test
    void beatsRange() {
      assertThat(evaluate(GET.withIfNoneMatch(ETAG).withRange("bytes=0-1")))
          .isEqualTo(Outcome.NOT_MODIFIED);
      assertThat(evaluate(GET.withIfNoneMatch(ETAG).withRange("bytes=5000-")))
          .isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    void afterAPassingIfMatch() {
      assertThat(evaluate(GET.withIfMatch(ETAG).withIfNoneMatch(ETAG)))
          .isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    void wildcardMatchesEvenWithoutAnEtag() {
      Representation noEtag = new Representation(null, STORED, 1000);
      assertThat(Preconditions.evaluate(GET.withIfNoneMatch("*"), noEtag))
          .isEqualTo(Outcome.NOT_MODIFIED);
      assertThat(Preconditions.evaluate(GET.withIfNoneMatch(ETAG), noEtag))
          .isEqualTo(Outcome.OK_FULL);
    }
  }

  /** RFC 9110 §13.1.3, step 4 of §13.2.2. */
  @Nested
  class IfModifiedSince {
    @ParameterizedTest
    @ValueSource(
        strings = {
          LAST_MODIFIED,
          SECOND_AFTER,
          "Wednesday, 01-May-24 10:00:00 GMT",
          "Wed May  1 10:00:00 2024"
        })
    void notModified(String field) {
      assertThat(evaluate(GET.withIfModifiedSince(field))).isEqualTo(Outcome.NOT_MODIFIED);
      assertThat(evaluate(HEAD.withIfModifiedSince(field))).isEqualTo(Outcome.NOT_MODIFIED);
    }

    @ParameterizedTest
    @ValueSource(strings = {SECOND_BEFORE, "garbage", LAST_MODIFIED + ", " + LAST_MODIFIED})
    void modifiedOrUnreadable(String field) {
      assertThat(evaluate(GET.withIfModifiedSince(field))).isEqualTo(Outcome.OK_FULL);
    }

    @Test
    void comparesAtOneSecondPrecision() {
      // STORED is 10:00:00.750; without truncation it would look modified after 10:00:00.
      assertThat(REP.lastModified()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
      assertThat(evaluate(GET.withIfModifiedSince(LAST_MODIFIED))).isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    void isIgnoredWhenIfNoneMatchIsPresent() {
      assertThat(evaluate(GET.withIfNoneMatch("\"v2\"").withIfModifiedSince(LAST_MODIFIED)))
          .isEqualTo(Outcome.OK_FULL);
    }

    @Test
    void isIgnoredForOtherMethods() {
      assertThat(evaluate(Request.of("POST").withIfModifiedSince(LAST_MODIFIED)))
          .isEqualTo(Outcome.OK_FULL);
    }

    @Test
    void isIgnoredWithoutAModificationDate() {
      Representation undated = new Representation(ETAG, null, 1000);
      assertThat(Preconditions.evaluate(GET.withIfModifiedSince(LAST_MODIFIED), undated))
          .isEqualTo(Outcome.OK_FULL);
    }

    @Test
    void beatsRange() {
      assertThat(evaluate(GET.withIfModifiedSince(LAST_MODIFIED).withRange("bytes=0-1")))
          .isEqualTo(Outcome.NOT_MODIFIED);
    }
  }

  /** RFC 9110 §14.2 with §13.1.5 If-Range. */
  @Nested
  class Range {
    @Test
    void aSatisfiableRangeIsPartial() {
      assertThat(evaluate(GET.withRange("bytes=0-99"))).isEqualTo(partial(0, 99));
      assertThat(evaluate(GET.withRange("bytes=-100"))).isEqualTo(partial(900, 999));
      assertThat(evaluate(GET.withRange("bytes=900-5000"))).isEqualTo(partial(900, 999));
    }

    @Test
    void anUnsatisfiableRangeIs416() {
      assertThat(evaluate(GET.withRange("bytes=1000-"))).isEqualTo(Outcome.RANGE_NOT_SATISFIABLE);
      assertThat(evaluate(GET.withRange("bytes=-0"))).isEqualTo(Outcome.RANGE_NOT_SATISFIABLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=0-1,5-6", "items=0-1", "bytes=x", "", " "})
    void ignoredRangesGiveTheWholeBody(String range) {
      assertThat(evaluate(GET.withRange(range))).isEqualTo(Outcome.OK_FULL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HEAD", "POST", "PUT"})
    void onlyGetHasRanges(String method) {
      assertThat(evaluate(Request.of(method).withRange("bytes=0-1"))).isEqualTo(Outcome.OK_FULL);
      assertThat(evaluate(Request.of(method).withRange("bytes=5000-"))).isEqualTo(Outcome.OK_FULL);
    }

    @Test
    void passingPreconditionsStillHonourTheRange() {
      Request r = GET.withIfMatch(ETAG).withIfNoneMatch("\"v0\"").withRange("bytes=10-19");
      assertThat(evaluate(r)).isEqualTo(partial(10, 19));
      assertThat(evaluate(GET.withIfUnmodifiedSince(LAST_MODIFIED).withRange("bytes=10-19")))
          .isEqualTo(partial(10, 19));
      assertThat(evaluate(GET.withIfModifiedSince(SECOND_BEFORE).withRange("bytes=10-19")))
          .isEqualTo(partial(10, 19));
    }

    @Test
    void anEmptyRepresentationHasNoRanges() {
      Representation empty = new Representation(ETAG, STORED, 0);
      assertThat(Preconditions.evaluate(GET.withRange("bytes=0-"), empty))
          .isEqualTo(Outcome.RANGE_NOT_SATISFIABLE);
      assertThat(Preconditions.evaluate(GET, empty)).isEqualTo(Outcome.OK_FULL);
    }
  }

  @Nested
  class IfRange {
    @ParameterizedTest
    @ValueSource(
        strings = {
          ETAG,
          " \"v1\" ",
          LAST_MODIFIED,
          "Wednesday, 01-May-24 10:00:00 GMT",
          "Wed May  1 10:00:00 2024"
        })
    void aMatchingValidatorKeepsTheRange(String validator) {
      assertThat(evaluate(GET.withRange("bytes=0-9").withIfRange(validator)))
          .isEqualTo(partial(0, 9));
      assertThat(evaluate(GET.withRange("bytes=5000-").withIfRange(validator)))
          .isEqualTo(Outcome.RANGE_NOT_SATISFIABLE);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "W/\"v1\"", // a weak tag never matches (§13.1.5)
          "\"v2\"",
          "\"v1\", \"v2\"",
          "*",
          "v1",
          SECOND_BEFORE,
          SECOND_AFTER, // the date must be equal, not just later
          "Wed, 01 May 2024 10:00:00 +0800",
          "garbage",
        })
    void anyOtherValidatorMeansTheWholeBody(String validator) {
      assertThat(evaluate(GET.withRange("bytes=0-9").withIfRange(validator)))
          .isEqualTo(Outcome.OK_FULL);
      // A failed If-Range means 200, never 416.
      assertThat(evaluate(GET.withRange("bytes=5000-").withIfRange(validator)))
          .isEqualTo(Outcome.OK_FULL);
    }

    @Test
    void isIgnoredWithoutRange() {
      assertThat(evaluate(GET.withIfRange("\"v2\""))).isEqualTo(Outcome.OK_FULL);
      assertThat(evaluate(GET.withIfRange(ETAG))).isEqualTo(Outcome.OK_FULL);
    }

    @Test
    void needsTheValidatorItNames() {
      Representation noEtag = new Representation(null, STORED, 1000);
      assertThat(Preconditions.evaluate(GET.withRange("bytes=0-9").withIfRange(ETAG), noEtag))
          .isEqualTo(Outcome.OK_FULL);
      Representation undated = new Representation(ETAG, null, 1000);
      Request byDate = GET.withRange("bytes=0-9").withIfRange(LAST_MODIFIED);
      assertThat(Preconditions.evaluate(byDate, undated)).isEqualTo(Outcome.OK_FULL);
    }
  }

  @Test
  void representationRejectsBadValidators() {
    for (String bad : new String[] {"v1", "W/\"v1\"", "\"v1\" ", "\"a\",\"b\"", ""}) {
      assertThatThrownBy(() -> new Representation(bad, STORED, 1))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new Representation(ETAG, STORED, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Request.of(null)).isInstanceOf(NullPointerException.class);
  }

  /** Every pairing of the conditional fields, checked against the §13.2.2 steps written out. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        // If-Match | If-Unmod-Since | If-None-Match | If-Mod-Since | expected
        "\"v1\" | -             | -      | -             | OK_FULL",
        "\"v2\" | " + LAST_MODIFIED + " | - | -           | PRECONDITION_FAILED",
        "\"v1\" | " + SECOND_BEFORE + " | - | -           | OK_FULL",
        "-      | " + SECOND_BEFORE + " | \"v1\" | -      | PRECONDITION_FAILED",
        "-      | " + LAST_MODIFIED + " | \"v1\" | -      | NOT_MODIFIED",
        "-      | -             | \"v2\" | " + LAST_MODIFIED + " | OK_FULL",
        "-      | -             | -      | " + LAST_MODIFIED + " | NOT_MODIFIED",
        "-      | -             | -      | " + SECOND_BEFORE + " | OK_FULL",
        "*      | -             | *      | -             | NOT_MODIFIED",
      })
  void theOrderOfRfc9110Section13_2_2(
      String ifMatch,
      String ifUnmodifiedSince,
      String ifNoneMatch,
      String ifModifiedSince,
      Kind expected) {
    Request r = GET.withIfMatch(ifMatch)
        .withIfUnmodifiedSince(ifUnmodifiedSince)
        .withIfNoneMatch(ifNoneMatch)
        .withIfModifiedSince(ifModifiedSince);
    assertThat(evaluate(r).kind()).isEqualTo(expected);
  }
}
