package dev.tempmedia.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

/**
 * Up to three fuzz-chosen edits to a genuine value (a character replaced, inserted or removed), for
 * codecs whose valid inputs carry a signature a fuzzer could never forge from scratch. Inserted
 * characters are mostly from the base64url alphabet and its padding, where re-spellings hide.
 */
final class TextEdits {
  private static final String BASE64URL =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=";

  private TextEdits() {}

  static String apply(String genuine, FuzzedDataProvider data) {
    StringBuilder text = new StringBuilder(genuine);
    int edits = data.consumeInt(0, 3);
    for (int i = 0; i < edits; i++) {
      int at = data.consumeInt(0, text.length());
      char c = data.consumeBoolean()
          ? BASE64URL.charAt(data.consumeInt(0, BASE64URL.length() - 1))
          : data.consumeChar();
      int edit = data.consumeInt(0, 2);
      if (edit == 1) {
        text.insert(at, c);
      } else if (at < text.length()) {
        if (edit == 0) {
          text.setCharAt(at, c);
        } else {
          text.deleteCharAt(at);
        }
      }
    }
    return text.toString();
  }
}
