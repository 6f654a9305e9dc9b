package dev.tempmedia.http;

/**
 * Told about every WeChat API exchange: once when its answer is about to go out ({@link #answered},
 * before the client can see a byte of it, so whoever asks right after a call finds it), and once
 * when the response has ended or its connection was dropped ({@link #finished}, with the full
 * duration and bytes). The inspector listens to the first, the access log and metrics to the second.
 */
public interface ExchangeObserver {
  default void answered(Exchange exchange) {}

  default void finished(Exchange exchange) {}

  /** An observer of finished exchanges only. */
  static ExchangeObserver onFinish(java.util.function.Consumer<Exchange> action) {
    return new ExchangeObserver() {
      @Override
      public void finished(Exchange exchange) {
        action.accept(exchange);
      }
    };
  }
}
