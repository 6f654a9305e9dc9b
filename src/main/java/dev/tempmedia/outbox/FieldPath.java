package dev.tempmedia.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the values a media field's path names in a message: {@code image.media_id} names one,
 * {@code mpnews.articles[].thumb_media_id} one in each article ({@code mpnews.articles[0].thumb_media_id}
 * and so on). A missing step yields one value that is null, so a required field can say where it
 * was missing.
 */
final class FieldPath {
  private FieldPath() {}

  /** A value at a concrete path; {@code value} is null when the message has none there. */
  record Found(String path, JsonNode value) {}

  static List<Found> find(JsonNode body, String path) {
    List<Found> found = new ArrayList<>();
    walk(body, path.split("\\."), 0, "", found);
    return found;
  }

  private static void walk(JsonNode node, String[] steps, int i, String at, List<Found> found) {
    if (i == steps.length) {
      found.add(new Found(at, node));
      return;
    }
    String step = steps[i];
    boolean each = step.endsWith("[]");
    String name = each ? step.substring(0, step.length() - 2) : step;
    String here = at.isEmpty() ? name : at + "." + name;
    JsonNode next = node == null || !node.isObject() ? null : node.get(name);
    if (!each) {
      walk(next, steps, i + 1, here, found);
      return;
    }
    if (next == null || !next.isArray() || next.isEmpty()) {
      walk(null, steps, steps.length, here + "[0]." + String.join(".", rest(steps, i + 1)), found);
      return;
    }
    for (int k = 0; k < next.size(); k++) {
      walk(next.get(k), steps, i + 1, here + "[" + k + "]", found);
    }
  }

  private static List<String> rest(String[] steps, int from) {
    return List.of(steps).subList(from, steps.length);
  }
}
