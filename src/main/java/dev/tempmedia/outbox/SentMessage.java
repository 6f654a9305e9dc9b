package dev.tempmedia.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A message a send endpoint accepted, as the outbox keeps it (SPEC §10): who sent it through which
 * endpoint to whom, its media resolved, and its body as sent.
 *
 * @param id       the request's rid, so the inspector and the outbox name it alike
 * @param time     when it was accepted, by the server clock (ISO-8601)
 * @param appid    the sending app (a corp's id for WeCom)
 * @param product  the app's product, by its wire name
 * @param endpoint the path it was sent to ({@code /cgi-bin/message/custom/send}, or {@code /tcb/admin})
 * @param to       the recipient: touser, else toparty or totag (WeCom), the chatid of a group chat
 * @param msgtype  the message type
 * @param media    every media id in the message, checked and resolved
 * @param body     the message as sent
 */
public record SentMessage(
    String id,
    String time,
    String appid,
    String product,
    String endpoint,
    String to,
    String msgtype,
    List<SentMedia> media,
    JsonNode body) {
  public SentMessage {
    media = List.copyOf(media);
  }

  /** One media id of a message: its field path in the body, and what it resolved to. */
  public record SentMedia(
      String field, String mediaId, String type, String contentType, long size) {}

  /** About how many bytes of memory the message holds: its body's text and a little more. */
  int weight() {
    return 512 + body.toString().length() * 2;
  }
}
