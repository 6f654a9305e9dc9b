package dev.tempmedia.outbox;

/** Too many readers wait already; the reader is refused rather than held. */
public final class OutboxBusyException extends RuntimeException {
  public OutboxBusyException(String message) {
    super(message);
  }
}
