package dev.tempmedia.wechat;

import java.util.Arrays;
import java.util.Optional;

/** The three WeChat products that have a temporary-media API. An app belongs to exactly one. */
public enum Product {
  OFFICIAL_ACCOUNT("official-account"),
  MINI_PROGRAM("mini-program"),
  WECOM("wecom");

  private final String wireName;

  Product(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in configuration and in the admin API. */
  public String wireName() {
    return wireName;
  }

  /** Everything else this product is. */
  public ProductProfile profile() {
    return ProductProfile.of(this);
  }

  public static Optional<Product> fromWireName(String name) {
    return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
  }
}
