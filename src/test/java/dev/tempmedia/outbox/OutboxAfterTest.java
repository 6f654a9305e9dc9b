package dev.tempmedia.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code after}: a reader who has the newest message waits for the next one instead of getting them all again. */
class OutboxAfterTest {
  private final MemoryOutbox outbox = new MemoryOutbox();

  private static SentMessage message(String id, String appid) {
    return new SentMessage(
        id,
        "2026-12-01T10:00:00Z",
        appid,
        "official-account",
        "/cgi-bin/message/custom/send",
        "openid",
        "text",
        List.of(),
        JsonNodeFactory.instance.objectNode().put("msgtype", "text"));
  }

  private static List<String> ids(List<SentMessage> messages) {
    return messages.stream().map(SentMessage::id).toList();
  }

  private List<String> newer(String after, Duration wait) throws Exception {
    return ids(outbox
        .await(new MessageFilter("wxa", null, null), 100, wait, after)
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS));
  }

  @Test
  void onlyTheMessagesNewerThanTheNamedOneAreAnsweredAndTheirFilterStillApplies() throws Exception {
    outbox.add(message("m1", "wxa"));
    outbox.add(message("m2", "wxa"));
    outbox.add(message("other", "wxb"));
    outbox.add(message("m3", "wxa"));

    assertThat(newer(null, Duration.ZERO)).containsExactly("m3", "m2", "m1");
    assertThat(newer("m1", Duration.ZERO)).containsExactly("m3", "m2");
    assertThat(newer("m3", Duration.ZERO)).isEmpty();
    // an id no longer kept: every kept message is newer than it
    assertThat(newer("gone", Duration.ZERO)).containsExactly("m3", "m2", "m1");
  }

  @Test
  void aReaderWithTheNewestWaitsForTheNextInsteadOfBeingAnsweredAtOnce() throws Exception {
    outbox.add(message("m1", "wxa"));
    CompletableFuture<List<SentMessage>> waiting = outbox
        .await(new MessageFilter("wxa", null, null), 100, Duration.ofSeconds(10), "m1")
        .toCompletableFuture();
    Thread.sleep(100);
    assertThat(waiting).isNotDone();
    outbox.add(message("m2", "wxa"));
    assertThat(ids(waiting.get(5, TimeUnit.SECONDS))).containsExactly("m2");

    // the wait ends with nothing newer
    assertThat(newer("m2", Duration.ofMillis(200))).isEmpty();
  }

  @Test
  void afterAClearTheNextMessageIsNewerThanTheOneLastSeen() throws Exception {
    outbox.add(message("m1", "wxa"));
    outbox.clear();
    CompletableFuture<List<SentMessage>> waiting = outbox
        .await(new MessageFilter("wxa", null, null), 100, Duration.ofSeconds(10), "m1")
        .toCompletableFuture();
    outbox.add(message("m2", "wxa"));
    assertThat(ids(waiting.get(5, TimeUnit.SECONDS))).containsExactly("m2");
  }
}
