package dev.tempmedia.http.semantics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An entity-tag, RFC 9110 §8.8.3: {@code [ W/ ] DQUOTE *etagc DQUOTE}. The opaque tag is kept with
 * its quotes, as the grammar does, so comparing tags is comparing strings.
 */
record EntityTag(boolean weak, String opaqueTag) {

  /** A parsed If-Match / If-None-Match value: {@code "*"} or a list of tags (RFC 9110 §13.1.1). */
  record Condition(boolean any, List<EntityTag> tags) {}

  /** Parses a field value that must be exactly one entity-tag, e.g. ETag or If-Range. */
  static Optional<EntityTag> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    Scanner s = new Scanner(value.strip());
    EntityTag tag = s.tag();
    return tag != null && s.atEnd() ? Optional.of(tag) : Optional.empty();
  }

  /**
   * Parses {@code "*" / #entity-tag}. Members that are not entity-tags are dropped: they cannot
   * match anything, which is what a conditional with a garbled tag should amount to.
   */
  static Condition parseCondition(String value) {
    String v = value.strip();
    if (v.equals("*")) {
      return new Condition(true, List.of());
    }
    List<EntityTag> tags = new ArrayList<>();
    Scanner s = new Scanner(v);
    while (!s.atEnd()) {
      s.skipOwsAndCommas();
      if (s.atEnd()) {
        break;
      }
      EntityTag tag = s.tag();
      if (tag != null) {
        tags.add(tag);
      } else {
        s.skipPastComma();
      }
    }
    return new Condition(false, tags);
  }

  /** RFC 9110 §8.8.3.2: both tags strong and their opaque-tags identical. */
  boolean strongMatch(EntityTag other) {
    return !weak && !other.weak && opaqueTag.equals(other.opaqueTag);
  }

  /** RFC 9110 §8.8.3.2: opaque-tags identical, whatever the weakness. */
  boolean weakMatch(EntityTag other) {
    return opaqueTag.equals(other.opaqueTag);
  }

  @Override
  public String toString() {
    return weak ? "W/" + opaqueTag : opaqueTag;
  }

  /**
   * A cursor over a field value. Tags are scanned, not split on commas, because a comma is a
   * legal etagc inside the quotes.
   */
  private static final class Scanner {
    private final String s;
    private int i;

    Scanner(String s) {
      this.s = s;
    }

    boolean atEnd() {
      return i >= s.length();
    }

    void skipOwsAndCommas() {
      while (i < s.length() && (s.charAt(i) == ',' || s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
        i++;
      }
    }

    void skipPastComma() {
      int comma = s.indexOf(',', i);
      i = comma < 0 ? s.length() : comma + 1;
    }

    /** Reads one entity-tag at the cursor, or returns null leaving the cursor somewhere after. */
    EntityTag tag() {
      // weak = %s"W/": the prefix is case-sensitive.
      boolean weak = s.startsWith("W/", i);
      int open = weak ? i + 2 : i;
      if (open >= s.length() || s.charAt(open) != '"') {
        return null;
      }
      int close = open + 1;
      while (close < s.length() && s.charAt(close) != '"') {
        if (!isEtagc(s.charAt(close))) {
          i = close;
          return null;
        }
        close++;
      }
      if (close >= s.length()) {
        i = close;
        return null;
      }
      i = close + 1;
      // The next thing must end this list member.
      int after = i;
      while (after < s.length() && (s.charAt(after) == ' ' || s.charAt(after) == '\t')) {
        after++;
      }
      if (after < s.length() && s.charAt(after) != ',') {
        return null;
      }
      return new EntityTag(weak, s.substring(open, close + 1));
    }

    /** etagc = %x21 / %x23-7E / obs-text: visible characters but DQUOTE, no whitespace. */
    private static boolean isEtagc(char c) {
      return c == 0x21 || (c >= 0x23 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
    }
  }
}
