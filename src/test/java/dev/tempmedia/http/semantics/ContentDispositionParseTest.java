package dev.tempmedia.http.semantics;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading the filename of an uploaded multipart part. */
class ContentDispositionParseTest {

  private static String parse(String header) {
    return ContentDisposition.parseFilename(header).orElse(null);
  }

  /** UTF-8 bytes as a server that decodes header bytes as ISO-8859-1 hands them to us. */
  private static String asLatin1(String text) {
    return new String(text.getBytes(UTF_8), ISO_8859_1);
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      value = {
        "form-data; name=\"media\"; filename=\"a.jpg\" => a.jpg",
        "form-data; name=media; filename=a.jpg => a.jpg",
        "form-data; name=\"media\"; filename=a.jpg; size=3 => a.jpg",
        "form-data; name=\"media\"; filename = \"a.jpg\" => a.jpg",
        "form-data;name=\"media\";filename=\"a.jpg\" => a.jpg",
        "form-data; name=\"media\"; FILENAME=\"a.jpg\" => a.jpg",
        "form-data; name=\"media\"; filename=my photo.jpg => my photo.jpg",
        "form-data; filename=\"a.jpg\"; name=\"media\" => a.jpg",
        "filename=\"a.jpg\" => a.jpg",
        "form-data; name=\"media\"; filename=\"a.jpg => a.jpg",
        "form-data; name=\"x; filename=evil.exe\"; filename=\"a.jpg\" => a.jpg",
        "form-data; name=\"media\"; filename=\"a;b,c=d.jpg\" => a;b,c=d.jpg",
        "form-data; name=\"media\"; filename=\"first.jpg\"; filename=\"second.jpg\" => first.jpg",
      })
  void plainFilename(String header, String expected) {
    assertThat(parse(header)).isEqualTo(expected);
  }

  /** The examples of RFC 6266 §5. */
  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      value = {
        "Attachment; filename=example.html => example.html",
        "INLINE; FILENAME= \"an example.html\" => an example.html",
        "attachment; filename*= UTF-8''%e2%82%ac%20rates => € rates",
        "attachment; filename=\"EURO rates\"; filename*=utf-8''%e2%82%ac%20rates => € rates",
      })
  void rfc6266Examples(String header, String expected) {
    assertThat(parse(header)).isEqualTo(expected);
  }

  /** The examples of RFC 8187 §3.2.2, as filename parameters. */
  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      value = {
        "attachment; filename*=iso-8859-1'en'%A3%20rates => £ rates",
        "attachment; filename*=UTF-8''%c2%a3%20and%20%e2%82%ac%20rates => £ and € rates",
      })
  void rfc8187Examples(String header, String expected) {
    assertThat(parse(header)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      value = {
        "form-data; name=\"media\"; filename*=UTF-8''%E4%B8%AD.jpg => 中.jpg",
        "form-data; name=\"media\"; filename*=utf-8''%e4%b8%ad.jpg => 中.jpg",
        "form-data; name=\"media\"; filename*=UTF-8'zh-CN'%E4%B8%AD.jpg => 中.jpg",
        "form-data; name=\"media\"; filename*=\"UTF-8''%E4%B8%AD.jpg\" => 中.jpg",
        "form-data; filename=\"fallback.jpg\"; filename*=UTF-8''%E4%B8%AD.jpg => 中.jpg",
        "form-data; filename*=UTF-8''%E4%B8%AD.jpg; filename=\"fallback.jpg\" => 中.jpg",
        "form-data; filename*=UTF-8''a%2Bb%20c.jpg => a+b c.jpg",
        "form-data; filename*=UTF-8''100%25.jpg => 100%.jpg",
        "form-data; filename*=UTF-8''%25E4%25B8%25AD.jpg => %E4%B8%AD.jpg",
        "form-data; filename*=UTF-8''%25E4.jpg; filename=\"%E4.jpg\" => %E4.jpg",
        "form-data; filename=\"other.jpg\"; filename*=UTF-8''%25E4%25B8%25AD.jpg => %E4%B8%AD.jpg",
      })
  void extendedFilenameIsPreferred(String header, String expected) {
    assertThat(parse(header)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      value = {
        "form-data; filename*=KOI8-R''%C1.jpg; filename=\"a.jpg\" => a.jpg", // unsupported charset
        "form-data; filename*=UTF-8''%E4%B8; filename=\"a.jpg\" => a.jpg", // truncated UTF-8
        "form-data; filename*=UTF-8''%FF.jpg; filename=\"a.jpg\" => a.jpg",
        "form-data; filename*=UTF-8''%G1.jpg; filename=\"a.jpg\" => a.jpg",
        "form-data; filename*=UTF-8''%4; filename=\"a.jpg\" => a.jpg",
        "form-data; filename*=%E4%B8%AD.jpg; filename=\"a.jpg\" => a.jpg", // no charset
        "form-data; filename*=UTF-8'%E4%B8%AD.jpg; filename=\"a.jpg\" => a.jpg",
        "form-data; filename*=UTF-8''; filename=\"a.jpg\" => a.jpg",
      })
  void anUnusableExtendedFilenameFallsBack(String header, String expected) {
    assertThat(parse(header)).isEqualTo(expected);
  }

  @Test
  void anUnusableExtendedFilenameAloneIsNoName() {
    assertThat(ContentDisposition.parseFilename("form-data; filename*=UTF-8''%E4%B8"))
        .isEmpty();
  }

  /** Apache HttpClient 5 percent-encodes a name its caller had already percent-encoded. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "form-data; name=media; filename=\"%E4%B8%AD.jpg\"; filename*=UTF-8''%25E4%25B8%25AD.jpg",
        "form-data; name=media; filename*=UTF-8''%25E4%25B8%25AD.jpg; filename=\"%E4%B8%AD.jpg\"",
        "form-data; name=media; filename=\"%e4%b8%ad.jpg\"; filename*=UTF-8''%25e4%25b8%25ad.jpg",
        "form-data; name=media; filename=\"中.jpg\"; filename*=UTF-8''%25E4%25B8%25AD.jpg",
        // HttpClient 5.5 as WxJava's WeCom upload drives it: the name arrives with its own prefix.
        "form-data; name=\"media\"; filename=\"%E4%B8%AD.jpg\"; filename*=\"UTF-8''UTF-8%27%27%25E4%25B8%25AD.jpg\"",
      })
  void doubleEncodedExtendedFilename(String header) {
    assertThat(parse(header)).isEqualTo("中.jpg");
  }

  @Test
  void doubleEncodedWithLatin1ReadPlainName() {
    String header = "form-data; filename=\""
        + asLatin1("中文.jpg")
        + "\"; filename*=UTF-8''%25E4%25B8%25AD%25E6%2596%2587.jpg";
    assertThat(parse(header)).isEqualTo("中文.jpg");
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      value = {
        "%E4%B8%AD%E6%96%87.jpg => 中文.jpg",
        "%e4%b8%ad%e6%96%87.jpg => 中文.jpg",
        "photo-%E4%B8%AD.jpg => photo-中.jpg",
        // Not percent-encoded UTF-8, or only ASCII: taken literally.
        "100%.jpg => 100%.jpg",
        "100%41.jpg => 100%41.jpg",
        "%ZZ.jpg => %ZZ.jpg",
        "%FF%FE.jpg => %FF%FE.jpg",
        "%E4%B8.jpg => %E4%B8.jpg",
        "%E4%B8%AD%.jpg => %E4%B8%AD%.jpg",
        "a%20b.jpg => a%20b.jpg",
      })
  void percentEncodedPlainFilename(String filename, String expected) {
    assertThat(parse("form-data; name=media; filename=\"" + filename + "\"")).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"中文.jpg", "é.png", "😀 smile.gif", "Ünïcödé.mp4", "日本語のファイル名.pdf"})
  void utf8ReadAsLatin1IsReadAgain(String name) {
    assertThat(parse("form-data; name=\"media\"; filename=\"" + asLatin1(name) + "\""))
        .isEqualTo(name);
    // Already decoded correctly: untouched.
    assertThat(parse("form-data; name=\"media\"; filename=\"" + name + "\"")).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"café.jpg", "naïve résumé.pdf", "Ä.txt", "£.txt", "\u00FF\u00FE.bin"})
  void genuineLatin1IsKept(String name) {
    assertThat(parse("form-data; name=\"media\"; filename=\"" + name + "\"")).isEqualTo(name);
  }

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      value = {
        "a\\\"b.jpg => a\"b.jpg",
        "say \\\"hi\\\".txt => say \"hi\".txt",
        "\\\"\\\" => \"\"",
        "a\\\\b.jpg => b.jpg", // an escaped backslash is still a Windows path separator
        "C:\\Users\\me\\Desktop\\a.jpg => a.jpg", // Internet Explorer's unescaped full path
        "C:\\\\Users\\\\me\\\\a.jpg => a.jpg",
        "/home/me/a.jpg => a.jpg",
        "../../etc/passwd => passwd",
        "..\\..\\a.jpg => a.jpg",
      })
  void quotedStringsAndPaths(String quoted, String expected) {
    assertThat(parse("form-data; name=media; filename=\"" + quoted + "\"")).isEqualTo(expected);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "form-data",
        "form-data; name=\"media\"",
        "form-data; name=\"media\"; filename=\"\"",
        "form-data; name=\"media\"; filename=",
        "form-data; name=\"media\"; filename=\"  \"",
        "form-data; name=\"media\"; filename=\"../\"",
        "form-data; name=\"media\"; filename=\"..\"",
        "form-data; name=\"media\"; filename=\".\"",
        "form-data; name=\"media\"; filenames=\"a.jpg\"",
        "form-data; name=\"media\"; xfilename=\"a.jpg\"",
        "form-data; name=\"filename\"",
        ";;;;",
        "====",
        "\"\"\"",
      })
  void noUsableName(String header) {
    assertThat(ContentDisposition.parseFilename(header)).isEmpty();
  }

  @Test
  void hugeOrHostileHeadersAreLinear() {
    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
      assertThat(ContentDisposition.parseFilename(";".repeat(1_000_000))).isEmpty();
      assertThat(ContentDisposition.parseFilename("a=".repeat(500_000))).isEmpty();
      assertThat(ContentDisposition.parseFilename("filename=\"" + "\\\"".repeat(500_000)))
          .contains("\"".repeat(500_000));
      assertThat(ContentDisposition.parseFilename("filename*=UTF-8''" + "%41".repeat(300_000)))
          .contains("A".repeat(300_000));
    });
  }
}
