package dev.tempmedia.http;

import dev.tempmedia.wechat.Dialect;
import io.vertx.core.http.HttpMethod;
import java.util.Set;

/**
 * One WeChat API endpoint: one row of {@link WeChatApi#routes}.
 *
 * @param path    the path (or {@code prefix/**}) it is declared under: the endpoint's name in metrics
 * @param methods the methods it serves; another method answers 43002 when it serves POST, else 404
 * @param dialect the dialect errors speak before an app is known (gettoken: WeCom's)
 * @param route   the handler
 * @param errors  how a failure is written: WeChat's error shape, or the cloud-call one
 */
public record WeChatRoute(
    String path, Set<HttpMethod> methods, Dialect dialect, Route route, ErrorWriter errors)
    implements Endpoint {

  public WeChatRoute {
    methods = Set.copyOf(methods);
  }

  /** A route whose failures are written as WeChat errors. */
  public static WeChatRoute of(String path, Set<HttpMethod> methods, Dialect dialect, Route route) {
    return new WeChatRoute(path, methods, dialect, route, Responder::error);
  }

  /** Writes a failure as the endpoint's clients expect it. */
  @FunctionalInterface
  public interface ErrorWriter {
    void write(Exchange exchange, Throwable failure);
  }
}
