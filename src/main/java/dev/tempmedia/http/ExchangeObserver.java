package dev.tempmedia.http;

/**
 * Told once about every finished WeChat API exchange (answered, or its connection dropped): the
 * access log, the request inspector and the metrics each see the same outcome.
 */
@FunctionalInterface
public interface ExchangeObserver {
  void finished(Exchange exchange);
}
