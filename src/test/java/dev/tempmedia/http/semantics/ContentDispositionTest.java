package dev.tempmedia.http.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Writing Content-Disposition for downloads. */
class ContentDispositionTest {

  /**
   * Everything attachmentWithUtf8 may produce: attr-chars and %XX in filename*, and only the
   * fallback's safe ASCII between the quotes.
   */
  private static final Pattern SHAPE =
      Pattern.compile("attachment; filename\\*=utf-8''((?:[A-Za-z0-9!#$&.^_`|~-]|%[0-9A-F]{2})+);"
          + " filename=\"([A-Za-z0-9 !#$%&'()+.=@\\[\\]^_`{}~-]+)\"");

  @Test
  void attachmentForGeneratedNames() {
    assertThat(ContentDisposition.attachment("MEDIA_ID.jpg"))
        .isEqualTo("attachment; filename=\"MEDIA_ID.jpg\"");
    assertThat(ContentDisposition.attachment("3_xYz-AbC.amr"))
        .isEqualTo("attachment; filename=\"3_xYz-AbC.amr\"");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "a\"b.jpg",
        "a\\b.jpg",
        "中.jpg",
        "a\r\nSet-Cookie: x=1",
        "a\u0000.jpg",
        "a;b.jpg",
        "a/b.jpg",
        "a%41.jpg",
        "é.jpg"
      })
  void attachmentRefusesNamesItCannotSendSafely(String name) {
    assertThatThrownBy(() -> ContentDisposition.attachment(name))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " | ",
      value = {
        "中文.jpg       | %E4%B8%AD%E6%96%87.jpg   | %E4%B8%AD%E6%96%87.jpg",
        "report.pdf    | report.pdf               | report.pdf",
        "€ rates       | %E2%82%AC%20rates        | %E2%82%AC rates", // RFC 8187 §3.2.2
        "£ rates.txt   | %C2%A3%20rates.txt       | %C2%A3 rates.txt",
        "a+b.jpg       | a%2Bb.jpg                | a+b.jpg", // '+' would be a space to URLDecoder
        "a b.jpg       | a%20b.jpg                | a b.jpg",
        "100%.jpg      | 100%25.jpg               | 100%25.jpg",
        "a;b,c.jpg     | a%3Bb%2Cc.jpg            | a%3Bb%2Cc.jpg",
        "x*y?z<>|:.png | x%2Ay%3Fz%3C%3E|%3A.png  | x%2Ay%3Fz%3C%3E%7C%3A.png",
        "it's (1).jpg  | it%27s%20%281%29.jpg     | it's (1).jpg",
        "😀.png         | %F0%9F%98%80.png         | %F0%9F%98%80.png",
        "Ünïcödé.mp4   | %C3%9Cn%C3%AFc%C3%B6d%C3%A9.mp4 | %C3%9Cn%C3%AFc%C3%B6d%C3%A9.mp4",
        "a!#$&^_`|~-.b | a!#$&^_`|~-.b            | a!#$&^_`%7C~-.b",
      })
  void attachmentWithUtf8(String name, String encoded, String fallback) {
    assertThat(ContentDisposition.attachmentWithUtf8(name))
        .isEqualTo("attachment; filename*=utf-8''" + encoded + "; filename=\"" + fallback + "\"");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "../../etc/passwd            | passwd",
        "..\\..\\windows\\win.ini     | win.ini",
        "C:\\Users\\me\\photo.jpg      | photo.jpg",
        "/var/data/a.jpg             | a.jpg",
        "dir/                        | file",
        "..                          | file",
        ".                           | file",
        "...                         | file",
        "'   '                       | file",
        ".hidden                     | hidden",
        "'  padded.jpg  '            | padded.jpg",
        "trailing.dots...            | trailing.dots",
        "\u202Egpj.exe               | gpj.exe",
        "a\u200Fb\u2066c\u2069.jpg   | abc.jpg",
      })
  void cleansTheName(String name, String cleaned) {
    assertThat(FileNames.clean(name)).isEqualTo(cleaned);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"/", "\\", "../", "  ", "\u202E", "./.."})
  void anEmptyNameBecomesFile(String name) {
    assertThat(ContentDisposition.attachmentWithUtf8(name))
        .isEqualTo("attachment; filename*=utf-8''file; filename=\"file\"");
  }

  @Test
  void controlsNeverReachTheHeader() {
    String header = ContentDisposition.attachmentWithUtf8(
        "evil\r\nSet-Cookie: a=b\u0000\u007F\u0085\u2028.jpg");
    assertThat(header)
        .isEqualTo("attachment; filename*=utf-8''evil__Set-Cookie%3A%20a%3Db____.jpg;"
            + " filename=\"evil__Set-Cookie%3A a=b____.jpg\"");
  }

  @Test
  void quotesAndBackslashesNeverBreakTheQuoting() {
    assertThat(ContentDisposition.attachmentWithUtf8("say \"hi\".txt"))
        .isEqualTo(
            "attachment; filename*=utf-8''say%20%22hi%22.txt; filename=\"say %22hi%22.txt\"");
    assertThat(ContentDisposition.attachmentWithUtf8("x\\\"; filename=\"evil.exe"))
        .isEqualTo("attachment; filename*=utf-8''%22%3B%20filename%3D%22evil.exe;"
            + " filename=\"%22%3B filename=%22evil.exe\"");
  }

  @Test
  void brokenSurrogatesAreReplaced() {
    assertThat(FileNames.clean("a\uD800b\uDC00.jpg")).isEqualTo("a_b_.jpg");
  }

  @Test
  void longNamesAreCutOnACodePointKeepingTheExtension() {
    assertThat(FileNames.clean("a".repeat(300) + ".jpg")).isEqualTo("a".repeat(251) + ".jpg");

    String cjk = FileNames.clean("中".repeat(100) + ".jpg");
    assertThat(cjk).isEqualTo("中".repeat(83) + ".jpg");
    assertThat(FileNames.utf8Length(cjk)).isEqualTo(253);

    String emoji = FileNames.clean("😀".repeat(100) + ".jpeg");
    assertThat(emoji).isEqualTo("😀".repeat(62) + ".jpeg");

    // A "suffix" this long is no extension: the name is simply cut.
    String noExtension = FileNames.clean("a." + "b".repeat(300));
    assertThat(noExtension).isEqualTo("a." + "b".repeat(253));

    String exact = "x".repeat(251) + ".jpg";
    assertThat(FileNames.clean(exact)).isEqualTo(exact);
  }

  /** Whatever the name, the header has one shape, and reading it back gives the cleaned name. */
  @ParameterizedTest
  @MethodSource("hostileNames")
  void anyNameGivesAWellFormedHeaderThatReadsBack(String name) {
    String header = ContentDisposition.attachmentWithUtf8(name);
    Matcher m = SHAPE.matcher(header);
    assertThat(m.matches()).as(header).isTrue();
    String cleaned = FileNames.clean(name);
    assertThat(ExtValue.decode("utf-8''" + m.group(1))).contains(cleaned);
    assertThat(FileNames.utf8Length(cleaned)).isLessThanOrEqualTo(255);
    // The fallback is lossless: percent-decoding it gives the name back.
    assertThat(java.net.URLDecoder.decode(
            m.group(2).replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(cleaned);
    assertThat(ContentDisposition.parseFilename(header)).contains(cleaned);
    String part = "form-data; name=\"media\"; " + header.substring("attachment; ".length());
    assertThat(ContentDisposition.parseFilename(part)).contains(cleaned);
  }

  static Stream<Arguments> hostileNames() {
    Stream<String> fixed = Stream.of(
        "%E4%B8%AD.jpg",
        "%25.jpg",
        "a\tb.jpg",
        "\"\"\"",
        "\\\\server\\share\\a.jpg",
        "名字 with spaces and ; , = \" ' chars.tar.gz",
        "\uFEFFbom.txt",
        "\u00A0nbsp\u00A0.jpg",
        "x".repeat(10_000),
        "é".repeat(200) + ".ext",
        "a." + "é".repeat(200));
    Random random = new Random(20240501);
    Stream<String> randomNames = Stream.generate(() -> randomName(random)).limit(300);
    return Stream.concat(fixed, randomNames).map(Arguments::of);
  }

  private static String randomName(Random random) {
    int[] pool = {
      0, '\r', '\n', '"', '\\', '/', '%', ';', ',', '.', ' ', '+', 'a', 'Z', '9', 0x7F, 0x85, 0xE9,
      0x4E2D, 0x202E, 0xD800, 0xDC00, 0x1F600, 0xFFFD, 0x2028
    };
    StringBuilder sb = new StringBuilder();
    int length = random.nextInt(random.nextBoolean() ? 12 : 400);
    for (int i = 0; i < length; i++) {
      int cp = random.nextInt(4) == 0 ? random.nextInt(0x30000) : pool[random.nextInt(pool.length)];
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  @Test
  void encodingIsUpperCaseHexOverUtf8() {
    String all = new String(new int[] {0xE9, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF}, 0, 6);
    String header = ContentDisposition.attachmentWithUtf8(all);
    assertThat(header).startsWith("attachment; filename*=utf-8''%C3%A9%DF%BF%E0%A0%80%EF%BF%BF");
    assertThat(ExtValue.decode(header.substring(22, header.indexOf(';', 22))))
        .contains(FileNames.clean(all));
    assertThat(FileNames.clean(all).getBytes(StandardCharsets.UTF_8))
        .hasSize(2 + 2 + 3 + 3 + 4 + 4);
  }
}
