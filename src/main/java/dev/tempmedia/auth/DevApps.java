package dev.tempmedia.auth;

import dev.tempmedia.wechat.Product;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The well-known development apps, one per product (each profile names its own): always the same, so
 * that docs, examples and CI scripts work out of the box (as Azurite's well-known account key does).
 * Only ever loaded in dev mode.
 */
public final class DevApps {
  public static final List<App> ALL =
      Arrays.stream(Product.values()).map(DevApps::wellKnown).toList();

  private static final Map<Product, App> BY_PRODUCT =
      ALL.stream().collect(Collectors.toUnmodifiableMap(App::product, Function.identity()));

  private DevApps() {}

  /** The well-known app of {@code product}. */
  public static App of(Product product) {
    return BY_PRODUCT.get(product);
  }

  private static App wellKnown(Product product) {
    var known = product.profile().wellKnownApp();
    return new App(product, known.id(), List.of(known.secret()), null);
  }
}
