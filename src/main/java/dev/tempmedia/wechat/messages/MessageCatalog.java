package dev.tempmedia.wechat.messages;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The message types one product may send through one channel, and how many articles a news message
 * may have there (0: the channel has no news). The catalogs themselves are in {@link MessageCatalogs}.
 */
public record MessageCatalog(Map<String, MessageType> types, int maxArticles) {
  /** The most bytes of UTF-8 a text's content may have (WeChat's 2048 for text messages). */
  public static final int MAX_TEXT_BYTES = 2048;

  static MessageCatalog of(int maxArticles, List<MessageType> types) {
    Map<String, MessageType> byName = new LinkedHashMap<>();
    for (MessageType type : types) {
      if (byName.put(type.name(), type) != null) {
        throw new IllegalArgumentException("msgtype " + type.name() + " twice");
      }
    }
    return new MessageCatalog(Collections.unmodifiableMap(byName), maxArticles);
  }

  public Optional<MessageType> type(String msgtype) {
    return Optional.ofNullable(types.get(msgtype));
  }

  public List<String> names() {
    return List.copyOf(types.keySet());
  }
}
