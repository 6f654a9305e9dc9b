package dev.tempmedia.media.format;

/** The formats WeChat's temporary media distinguishes, with what a download says about each. */
public enum MediaFormat {
  JPEG("jpeg", "image/jpeg", "jpg"),
  PNG("png", "image/png", "png"),
  GIF("gif", "image/gif", "gif"),
  BMP("bmp", "image/bmp", "bmp"),
  AMR("amr", "audio/amr", "amr"),
  MP3("mp3", "audio/mpeg", "mp3"),
  MP4("mp4", "video/mp4", "mp4"),
  UNKNOWN("unknown", "application/octet-stream", "bin");

  private final String wireName;
  private final String contentType;
  private final String extension;

  MediaFormat(String wireName, String contentType, String extension) {
    this.wireName = wireName;
    this.contentType = contentType;
    this.extension = extension;
  }

  public String wireName() {
    return wireName;
  }

  public String contentType() {
    return contentType;
  }

  /** The extension of {@code MEDIA_ID.ext} in a download's Content-disposition. */
  public String extension() {
    return extension;
  }

  public static MediaFormat byWireName(String name) {
    for (MediaFormat f : values()) {
      if (f.wireName.equals(name)) {
        return f;
      }
    }
    return UNKNOWN;
  }
}
