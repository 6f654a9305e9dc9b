package dev.tempmedia.wechat;

import java.util.Optional;

/**
 * A request rejected the way WeChat rejects it. The diagnosis says in plain words which check
 * failed and why; it goes to the request inspector and the log, never into the WeChat body.
 */
public final class WeChatException extends RuntimeException {
  private final ErrorCode error;
  private final Product product;

  public WeChatException(ErrorCode error, String diagnosis) {
    this(error, null, diagnosis);
  }

  /** With the product when it is already known, so the answer speaks that product's dialect. */
  public WeChatException(ErrorCode error, Product product, String diagnosis) {
    super(diagnosis, null, false, false);
    this.error = error;
    this.product = product;
  }

  public ErrorCode error() {
    return error;
  }

  public Optional<Product> product() {
    return Optional.ofNullable(product);
  }

  public String diagnosis() {
    return getMessage();
  }
}
