package dev.tempmedia.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The in-memory outbox: newest first, bounded by count and by bytes, and its waiting readers bounded too. */
class MemoryOutboxTest {
  private static SentMessage message(String to, int bodyChars) {
    return new SentMessage(
        "id-" + to,
        "2026-12-01T00:00:00Z",
        "wx0000000000000001",
        "official-account",
        "/cgi-bin/message/custom/send",
        to,
        "text",
        List.of(),
        JsonNodeFactory.instance.objectNode().put("text", "x".repeat(bodyChars)));
  }

  private static List<String> recipients(Outbox outbox, int limit) {
    return outbox.newest(MessageFilter.ALL, limit).toCompletableFuture().join().stream()
        .map(SentMessage::to)
        .toList();
  }

  @Test
  void keepsTheNewestUpToItsCapacity() {
    MemoryOutbox outbox = new MemoryOutbox(3, Long.MAX_VALUE);
    for (int i = 0; i < 5; i++) {
      outbox.add(message("o" + i, 1));
    }
    assertThat(recipients(outbox, 10)).containsExactly("o4", "o3", "o2");
    assertThat(recipients(outbox, 2)).containsExactly("o4", "o3");
  }

  @Test
  void dropsTheOldestWhenTheBodiesPassTheByteBudget() {
    int weight = message("x", 10_000).weight();
    MemoryOutbox outbox = new MemoryOutbox(1_000, weight * 2L);
    for (int i = 0; i < 4; i++) {
      outbox.add(message("o" + i, 10_000));
    }
    assertThat(recipients(outbox, 10)).containsExactly("o3", "o2");
    // One message larger than the budget is still kept, alone.
    outbox.add(message("big", 100_000));
    assertThat(recipients(outbox, 10)).containsExactly("big");
  }

  @Test
  void readersPastTheLimitAreRefusedAndLeaveNoTrace() {
    MemoryOutbox outbox = new MemoryOutbox();
    MessageFilter nobody = new MessageFilter(null, "nobody", null);
    List<CompletionStage<List<SentMessage>>> held = new ArrayList<>();
    for (int i = 0; i < Arrivals.MAX_WAITING; i++) {
      held.add(outbox.await(nobody, 10, Duration.ofSeconds(30)));
    }
    assertThat(outbox.waiting()).isEqualTo(Arrivals.MAX_WAITING);
    assertThatThrownBy(() -> outbox.await(nobody, 10, Duration.ofSeconds(30)))
        .isInstanceOf(OutboxBusyException.class);
    outbox.add(message("nobody", 1));
    for (CompletionStage<List<SentMessage>> stage : held) {
      assertThat(stage.toCompletableFuture().join()).hasSize(1);
    }
    assertThat(outbox.waiting()).isZero();
  }
}
