package dev.tempmedia.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * The keys of a cloud call's camelCase JSON as WeChat's API names them: {@code thumbMediaId} →
 * {@code thumb_media_id}, at every depth, as wx-server-sdk's {@code convertCase(…, {from: 'camelcase',
 * to: 'snakecase', recursive: true})} does before it calls the API (index.js:8411-8455): an upper-case
 * letter becomes {@code _} and its lower case, except at the start.
 */
public final class SnakeCase {
  private SnakeCase() {}

  public static JsonNode keys(JsonNode node) {
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(key(e.getKey()), keys(e.getValue()));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      node.forEach(item -> out.add(keys(item)));
      return out;
    }
    return node;
  }

  static String key(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (i > 0) {
          out.append('_');
        }
        out.append((char) (c + ('a' - 'A')));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
