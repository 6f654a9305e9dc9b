package dev.tempmedia.http.semantics;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP-date, RFC 9110 §5.6.7: we send IMF-fixdate only, and accept it plus the two obsolete
 * formats, rfc850-date and asctime-date, as the RFC requires of recipients.
 *
 * <p>Parsing is lenient where leniency cannot change the meaning: names in any case, a missing or
 * wrong day name, one-digit days and hours, "UTC" for "GMT". It is strict where a guess could: a
 * zone other than UTC, or an impossible calendar date, makes the value invalid. Each caller then
 * ignores the field, as §13.1.3-§13.1.5 require for an invalid date.
 */
public final class HttpDate {

  /** The longest valid form, rfc850 with "Wednesday", is 37 characters; allow slack for spaces. */
  private static final int MAX_LENGTH = 64;

  private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  private static final String[] LONG_DAYS = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
  };
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  private static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private HttpDate() {}

  /**
   * IMF-fixdate, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. Written by hand rather than with
   * DateTimeFormatter.RFC_1123_DATE_TIME, which drops the leading zero of the day and so is not
   * the fixed-length form §5.6.7 asks senders to use. Fractions of a second are dropped.
   */
  public static String format(Instant instant) {
    // year = 4DIGIT
    if (instant.isBefore(FIRST) || instant.isAfter(LAST)) {
      throw new IllegalArgumentException("no HTTP-date for " + instant);
    }
    ZonedDateTime t = instant.atZone(ZoneOffset.UTC);
    return String.format(
        Locale.ROOT,
        "%s, %02d %s %04d %02d:%02d:%02d GMT",
        DAYS[t.getDayOfWeek().getValue() - 1],
        t.getDayOfMonth(),
        MONTHS[t.getMonthValue() - 1],
        t.getYear(),
        t.getHour(),
        t.getMinute(),
        t.getSecond());
  }

  /** Parses any of the three formats; empty when the value is not a date we can read. */
  public static Optional<Instant> parse(String value) {
    return parse(value, Year.now(ZoneOffset.UTC).getValue());
  }

  /**
   * @param currentYear the year two-digit rfc850 years are read against (§5.6.7)
   */
  static Optional<Instant> parse(String value, int currentYear) {
    if (value == null || value.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    List<String> tokens = tokens(value);
    // The day name is redundant with the date; we drop it unchecked rather than reject a
    // timestamp for a client's calendar arithmetic.
    if (!tokens.isEmpty()
        && (indexOf(DAYS, tokens.get(0)) >= 0 || indexOf(LONG_DAYS, tokens.get(0)) >= 0)) {
      tokens.remove(0);
    }
    try {
      return Optional.ofNullable(
          switch (tokens.size()) {
            case 5 -> imfFixdate(tokens, currentYear);
            case 4 -> asctime(tokens);
            case 3 -> rfc850(tokens, currentYear);
            default -> null;
          });
    } catch (DateTimeException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** {@code 06 Nov 1994 08:49:37 GMT}, the day name already removed. */
  private static Instant imfFixdate(List<String> t, int currentYear) {
    if (!isUtc(t.get(4))) {
      return null;
    }
    return instant(year(t.get(2), currentYear), month(t.get(1)), day(t.get(0)), t.get(3));
  }

  /** {@code 06-Nov-94 08:49:37 GMT}, the day name already removed. */
  private static Instant rfc850(List<String> t, int currentYear) {
    String[] dmy = t.get(0).split("-", -1);
    if (dmy.length != 3 || !isUtc(t.get(2))) {
      return null;
    }
    return instant(year(dmy[2], currentYear), month(dmy[1]), day(dmy[0]), t.get(1));
  }

  /** {@code Nov  6 08:49:37 1994}, the day name already removed; asctime has no zone: it is GMT. */
  private static Instant asctime(List<String> t) {
    if (t.get(3).length() != 4) {
      return null;
    }
    return instant(number(t.get(3), 4), month(t.get(0)), day(t.get(1)), t.get(2));
  }

  private static Instant instant(int year, int month, int day, String time) {
    String[] hms = time.split(":", -1);
    if (month < 1 || hms.length != 3) {
      return null;
    }
    int hour = number(hms[0], 2);
    int minute = number(hms[1], 2);
    // A leap second (the grammar's 2DIGIT allows 60) is read as the last second of its minute.
    int second = Math.min(number(hms[2], 2), 59);
    return LocalDate.of(year, month, day)
        .atTime(LocalTime.of(hour, minute, second))
        .toInstant(ZoneOffset.UTC);
  }

  /**
   * §5.6.7: a two-digit year more than 50 years in the future means the most recent past year
   * with those digits. The same window also keeps it from landing more than 50 years in the past.
   */
  private static int year(String digits, int currentYear) {
    if (digits.length() == 4) {
      return number(digits, 4);
    }
    if (digits.length() != 2) {
      throw new NumberFormatException(digits);
    }
    int year = currentYear - Math.floorMod(currentYear, 100) + number(digits, 2);
    if (year > currentYear + 50) {
      year -= 100;
    } else if (year <= currentYear - 50) {
      year += 100;
    }
    return year;
  }

  private static int day(String digits) {
    return number(digits, 2);
  }

  private static int month(String name) {
    return indexOf(MONTHS, name) + 1;
  }

  /** 1 to maxDigits ASCII digits; Integer.parseInt alone would accept signs and other scripts. */
  private static int number(String digits, int maxDigits) {
    if (digits.isEmpty() || digits.length() > maxDigits) {
      throw new NumberFormatException(digits);
    }
    int n = 0;
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException(digits);
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private static boolean isUtc(String zone) {
    return zone.equalsIgnoreCase("GMT")
        || zone.equalsIgnoreCase("UTC")
        || zone.equalsIgnoreCase("UT")
        || zone.equals("Z")
        || zone.equals("+0000")
        || zone.equals("-0000");
  }

  private static int indexOf(String[] names, String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Splits on spaces, tabs and commas; the comma after the day name carries no meaning. */
  private static List<String> tokens(String value) {
    List<String> tokens = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= value.length(); i++) {
      boolean separator = i == value.length() || " \t,".indexOf(value.charAt(i)) >= 0;
      if (separator && start >= 0) {
        tokens.add(value.substring(start, i));
        start = -1;
      } else if (!separator && start < 0) {
        start = i;
      }
    }
    return tokens;
  }
}
