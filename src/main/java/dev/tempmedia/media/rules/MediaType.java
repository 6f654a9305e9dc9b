package dev.tempmedia.media.rules;

import java.util.Optional;

/** The {@code type} of an upload, with the stable one-byte code a media_id carries. */
public enum MediaType {
  IMAGE("image", 1),
  VOICE("voice", 2),
  VIDEO("video", 3),
  THUMB("thumb", 4),
  FILE("file", 5);

  private final String wireName;
  private final int code;

  MediaType(String wireName, int code) {
    this.wireName = wireName;
    this.code = code;
  }

  public String wireName() {
    return wireName;
  }

  /** The byte a media id carries for this type. */
  public int code() {
    return code;
  }

  /** The type a client named, exactly as WeChat spells it (lowercase). */
  public static Optional<MediaType> byWireName(String name) {
    for (MediaType t : values()) {
      if (t.wireName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  public static Optional<MediaType> byCode(int code) {
    for (MediaType t : values()) {
      if (t.code == code) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
