package dev.tempmedia.http;

import io.vertx.core.Future;

/**
 * One endpoint. Routes return a value and throw {@link dev.tempmedia.wechat.WeChatException} (or fail
 * the future with one) to refuse; the dispatcher writes status, headers and the WeChat error.
 */
@FunctionalInterface
public interface Route {
  Future<Reply> handle(Exchange exchange) throws Exception;
}
