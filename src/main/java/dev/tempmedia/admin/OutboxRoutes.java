package dev.tempmedia.admin;

import dev.tempmedia.outbox.MessageFilter;
import dev.tempmedia.outbox.Outbox;
import dev.tempmedia.outbox.OutboxBusyException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code messages} (SPEC §10, dev mode): the outbox, newest first, filtered by appid, recipient and
 * msgtype; {@code wait} holds the request until a matching message arrives (a test blocks on it
 * instead of sleeping), and {@code after} (a message's id) counts only the messages newer than that
 * one, so that a reader who has them all can wait for the next (the console's conversation does).
 * {@code DELETE} clears it.
 */
public final class OutboxRoutes {
  private static final int DEFAULT_LIMIT = 100;

  private final Outbox outbox;

  public OutboxRoutes(Outbox outbox) {
    this.outbox = outbox;
  }

  CompletionStage<Object> list(AdminCall call) {
    MessageFilter filter =
        new MessageFilter(call.query("appid"), call.query("to"), call.query("msgtype"));
    int limit = limit(call.query("limit"));
    Duration wait = waitOf(call.query("wait"));
    String after = call.query("after");
    // A reader that goes away (a closed tab, an aborted fetch) frees its place at once.
    CompletableFuture<Void> gone = new CompletableFuture<>();
    if (!wait.isZero()) {
      call.request().response().closeHandler(v -> gone.complete(null));
    }
    try {
      return outbox
          .await(filter, limit, wait, after == null || after.isEmpty() ? null : after, gone)
          .thenApply(found -> Map.of("messages", found));
    } catch (OutboxBusyException e) {
      return CompletableFuture.failedFuture(new AdminError(503, e.getMessage()));
    }
  }

  CompletionStage<Object> clear(AdminCall call) {
    return outbox.clear().thenApply(v -> Map.of("cleared", true));
  }

  private static int limit(String text) {
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    try {
      return Math.max(0, Math.min(Integer.parseInt(text), Outbox.CAPACITY));
    } catch (NumberFormatException e) {
      throw AdminError.badRequest("limit must be a whole number, not \"" + text + "\"");
    }
  }

  /** An ISO-8601 duration ({@code PT5S}, {@code PT0.5S}) of at most {@link Outbox#MAX_WAIT}. */
  private static Duration waitOf(String text) {
    if (text == null || text.isEmpty()) {
      return Duration.ZERO;
    }
    Duration wait;
    try {
      wait = Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw AdminError.badRequest(
          "wait must be an ISO-8601 duration such as PT5S, not \"" + text + "\"");
    }
    if (wait.isNegative() || wait.compareTo(Outbox.MAX_WAIT) > 0) {
      throw AdminError.badRequest(
          "wait must be between PT0S and " + Outbox.MAX_WAIT + ", not " + text);
    }
    return wait;
  }
}
