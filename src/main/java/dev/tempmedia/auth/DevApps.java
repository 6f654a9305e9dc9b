package dev.tempmedia.auth;

import dev.tempmedia.wechat.Product;
import java.util.List;

/**
 * The well-known development apps: always the same, so that docs, examples and CI scripts work out
 * of the box (as Azurite's well-known account key does). Only ever loaded in dev mode.
 */
public final class DevApps {
  public static final App OFFICIAL_ACCOUNT =
      new App(Product.OFFICIAL_ACCOUNT, "wx0000000000000001", List.of("devsecret00000000000000000000001"), null);
  public static final App MINI_PROGRAM =
      new App(Product.MINI_PROGRAM, "wx0000000000000002", List.of("devsecret00000000000000000000002"), null);
  public static final App WECOM =
      new App(Product.WECOM, "ww0000000000000003", List.of("devsecret00000000000000000000003"), null);

  public static final List<App> ALL = List.of(OFFICIAL_ACCOUNT, MINI_PROGRAM, WECOM);

  private DevApps() {}
}
