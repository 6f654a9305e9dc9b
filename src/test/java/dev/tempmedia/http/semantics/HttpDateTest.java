package dev.tempmedia.http.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpDateTest {

  private static final Instant RFC_EXAMPLE = Instant.parse("1994-11-06T08:49:37Z");

  /** The three forms RFC 9110 §5.6.7 shows for one instant. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
      })
  void readsTheThreeFormatsOfRfc9110(String value) {
    assertThat(HttpDate.parse(value, 2025)).contains(RFC_EXAMPLE);
    assertThat(HttpDate.parse(value)).contains(RFC_EXAMPLE);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sun, 06 nov 1994 08:49:37 gmt",
        "SUN, 06 NOV 1994 08:49:37 GMT",
        "06 Nov 1994 08:49:37 GMT", // no day name
        "Mon, 06 Nov 1994 08:49:37 GMT", // wrong day name
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37 +0000",
        "  Sun,  06 Nov 1994   08:49:37 GMT  ",
        "Sun,06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 94 08:49:37 GMT", // two-digit year in the wrong format
        "Sun, 06-Nov-1994 08:49:37 GMT",
        "06-Nov-94 08:49:37 GMT",
        "Sunday, 06-nov-94 08:49:37 gmt",
        "Sun Nov 6 08:49:37 1994",
        "Sun Nov 06 08:49:37 1994",
        "Nov  6 08:49:37 1994",
      })
  void leniencyThatCannotChangeTheMeaning(String value) {
    assertThat(HttpDate.parse(value, 2025)).contains(RFC_EXAMPLE);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "yesterday",
        "0",
        "784111777",
        "1994-11-06T08:49:37Z",
        "Sun, 06 Nov 1994",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 1994 08:49:37 EST", // HTTP-dates are GMT; a guess could shift hours
        "Sun, 06 Nov 1994 08:49:37 +0800",
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 006 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 19940 08:49:37 GMT",
        "Sun, 06 Nov 994 08:49:37 GMT",
        "Sun, -6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov +994 08:49:37 GMT",
        "Sun, \u0660\u0666 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT", // two members
        "Funday, 06 Nov 1994 08:49:37 GMT",
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 08:49:37 1994 GMT extra",
        "06-Nov 08:49:37 GMT",
      })
  void invalidDatesAreEmpty(String value) {
    assertThat(HttpDate.parse(value, 2025)).isEmpty();
  }

  @Test
  void aLeapSecondReadsAsTheLastSecondOfItsMinute() {
    assertThat(HttpDate.parse("Sat, 31 Dec 2016 23:59:60 GMT", 2025))
        .contains(Instant.parse("2016-12-31T23:59:59Z"));
  }

  @Test
  void veryLongValuesAreNotRead() {
    assertThat(HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT" + " ".repeat(100), 2025))
        .isEmpty();
    assertThat(HttpDate.parse("x".repeat(1_000_000), 2025)).isEmpty();
  }

  /** §5.6.7: a two-digit year more than 50 years ahead is the most recent such year past. */
  @ParameterizedTest
  @CsvSource({
    "94, 2025, 1994",
    "75, 2025, 2075",
    "76, 2025, 1976",
    "25, 2025, 2025",
    "00, 2025, 2000",
    "05, 2090, 2105",
    "40, 2090, 2140",
    "41, 2090, 2041",
    "99, 2000, 1999",
  })
  void twoDigitYears(String yy, int currentYear, int expected) {
    Instant parsed =
        HttpDate.parse("Thursday, 01-Jan-" + yy + " 00:00:00 GMT", currentYear).orElseThrow();
    assertThat(parsed).isEqualTo(Instant.parse(expected + "-01-01T00:00:00Z"));
  }

  @ParameterizedTest
  @CsvSource({
    "1994-11-06T08:49:37Z, 'Sun, 06 Nov 1994 08:49:37 GMT'",
    "1970-01-01T00:00:00Z, 'Thu, 01 Jan 1970 00:00:00 GMT'",
    "2024-03-05T07:08:09.999999999Z, 'Tue, 05 Mar 2024 07:08:09 GMT'",
    "2000-02-29T23:59:59Z, 'Tue, 29 Feb 2000 23:59:59 GMT'",
    "0001-01-01T00:00:00Z, 'Mon, 01 Jan 0001 00:00:00 GMT'",
    "9999-12-31T23:59:59Z, 'Fri, 31 Dec 9999 23:59:59 GMT'",
  })
  void writesImfFixdate(String instant, String expected) {
    assertThat(HttpDate.format(Instant.parse(instant))).isEqualTo(expected);
  }

  @Test
  void roundTripsEveryDayOfTheWeekAndMonth() {
    Instant t = Instant.parse("2023-01-01T12:34:56Z");
    for (int day = 0; day < 400; day++) {
      Instant instant = t.plusSeconds(day * 86_400L + day);
      assertThat(HttpDate.parse(HttpDate.format(instant), 2025)).contains(instant);
    }
  }

  @Test
  void refusesYearsAnHttpDateCannotHold() {
    assertThatThrownBy(() -> HttpDate.format(Instant.parse("+10000-01-01T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpDate.format(Instant.MIN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
