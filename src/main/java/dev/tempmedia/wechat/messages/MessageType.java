package dev.tempmedia.wechat.messages;

import java.util.List;

/**
 * One {@code msgtype} of a channel: the object the message carries under that name, what its content
 * must have, and the media fields in it.
 *
 * @param name    the msgtype, also the name of the message's object ({@code "image": {…}})
 * @param content what is checked beside the media
 * @param media   the fields that hold media ids
 */
public record MessageType(String name, Content content, List<MediaField> media) {
  public MessageType {
    media = List.copyOf(media);
  }

  /** What a message of this type must hold besides its media ids. */
  public enum Content {
    /** The object must be there; its other fields are the client's business. */
    OBJECT,
    /** {@code content}: a non-empty string of at most {@link MessageCatalog#MAX_TEXT_BYTES} bytes. */
    TEXT,
    /** {@code articles}: a non-empty array of at most the catalog's article count. */
    ARTICLES,
    /** {@code articles} as for {@link #ARTICLES}, or a {@code media_id} of permanent material instead. */
    ARTICLES_OR_MATERIAL
  }

  static MessageType of(String name, Content content, MediaField... media) {
    return new MessageType(name, content, List.of(media));
  }
}
