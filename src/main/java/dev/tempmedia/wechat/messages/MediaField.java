package dev.tempmedia.wechat.messages;

import java.util.Set;

/**
 * A field of a message that holds a media_id: where it is ({@code image.media_id}, or
 * {@code mpnews.articles[].thumb_media_id} for one in every article), the media types it takes (by
 * their wire names: {@code image}, {@code thumb}), and whether the message must have it.
 */
public record MediaField(String path, Set<String> accepts, boolean required) {
  public MediaField {
    accepts = Set.copyOf(accepts);
  }

  static MediaField required(String path, String... accepts) {
    return new MediaField(path, Set.of(accepts), true);
  }

  static MediaField optional(String path, String... accepts) {
    return new MediaField(path, Set.of(accepts), false);
  }

  /** "an image", "an image or a thumb": what the field needs, in words. */
  public String needs() {
    return accepts.stream()
        .sorted()
        .map(name -> (name.matches("[aeiou].*") ? "an " : "a ") + name)
        .reduce((a, b) -> a + " or " + b)
        .orElse("nothing");
  }
}
