package dev.tempmedia.media.multipart;

import java.lang.reflect.Field;

/**
 * What a parser holds inside, for checks that cannot be made from its output: the header limit is a
 * promise about memory, so it is checked against the buffer itself, not against what was parsed.
 */
public final class ParserInternals {
  public static final int MAX_HEADER_BYTES = MultipartParser.MAX_HEADER_BYTES;
  public static final int MAX_PARTS = MultipartParser.MAX_PARTS;

  private static final Field HEADER_BLOCK;

  static {
    try {
      HEADER_BLOCK = MultipartParser.class.getDeclaredField("headerBlock");
      HEADER_BLOCK.setAccessible(true);
    } catch (NoSuchFieldException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private ParserInternals() {}

  /** The bytes the parser has set aside for a part's header block. */
  public static int heldHeaderBytes(MultipartParser parser) {
    try {
      return ((byte[]) HEADER_BLOCK.get(parser)).length;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
