package dev.tempmedia.wechat;

import dev.tempmedia.wechat.messages.MessageCatalog;
import dev.tempmedia.wechat.messages.MessageCatalogs;
import dev.tempmedia.wechat.messages.MessageChannel;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a product is, in one place: how its apps are named and get tokens, what a generated id and
 * secret look like, its well-known development app, how it speaks on the wire ({@link Dialect}) and
 * whether it answers the cloud-call shapes, and which message channels it sends by, with their message
 * types (SPEC §10). The media types and limits per product are data, in the
 * rule book ({@code rules/*.yaml}). Code asks the profile; it does not compare products.
 *
 * <p>Built with named fields ({@link Builder}), one definition per product below.
 */
public final class ProductProfile {
  private static final SecureRandom RANDOM = new SecureRandom();

  public static final ProductProfile OFFICIAL_ACCOUNT = builder(Product.OFFICIAL_ACCOUNT)
      .idField(IdField.APPID)
      .idLetters("wx")
      .tokens(TokenFamily.APP_SECRET)
      .secretShape(SecretShape.APP_SECRET)
      .ruleSets(true)
      .openApiManagement(true)
      .wellKnownApp("wx0000000000000001", "devsecret00000000000000000000001")
      .messages(MessageChannel.CUSTOMER_SERVICE, MessageCatalogs.OFFICIAL_ACCOUNT_CUSTOMER_SERVICE)
      .dialect(Dialect.OFFICIAL_ACCOUNT)
      .build();

  public static final ProductProfile MINI_PROGRAM = builder(Product.MINI_PROGRAM)
      .idField(IdField.APPID)
      .idLetters("wx")
      .tokens(TokenFamily.APP_SECRET)
      .secretShape(SecretShape.APP_SECRET)
      .cloudCall(true)
      .openApiManagement(true)
      .wellKnownApp("wx0000000000000002", "devsecret00000000000000000000002")
      .messages(MessageChannel.CUSTOMER_SERVICE, MessageCatalogs.MINI_PROGRAM_CUSTOMER_SERVICE)
      .dialect(Dialect.MINI_PROGRAM)
      .build();

  public static final ProductProfile WECOM = builder(Product.WECOM)
      .idField(IdField.CORPID)
      .idLetters("ww")
      .tokens(TokenFamily.CORP_SECRET)
      .secretShape(SecretShape.CORP_SECRET)
      .severalSecrets(true)
      .wellKnownApp("ww0000000000000003", "devsecret00000000000000000000003")
      .messages(MessageChannel.APP_MESSAGE, MessageCatalogs.WECOM_APP_MESSAGE)
      .messages(MessageChannel.APP_CHAT, MessageCatalogs.WECOM_APP_CHAT)
      .messages(MessageChannel.KF, MessageCatalogs.WECOM_KF)
      .dialect(Dialect.WECOM)
      .build();

  /** What a generated secret looks like: WeChat's AppSecret (32 hex digits) or CorpSecret (43 base64url characters). */
  public enum SecretShape {
    APP_SECRET(16, false),
    CORP_SECRET(32, true);

    private final int randomBytes;
    private final boolean base64;

    SecretShape(int randomBytes, boolean base64) {
      this.randomBytes = randomBytes;
      this.base64 = base64;
    }

    String generate() {
      byte[] bytes = new byte[randomBytes];
      RANDOM.nextBytes(bytes);
      return base64
          ? Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)
          : HexFormat.of().formatHex(bytes);
    }
  }

  /** The well-known development app of a product (dev mode with no apps configured). */
  public record WellKnownApp(String id, String secret) {}

  private final Product product;
  private final IdField idField;
  private final String idLetters;
  private final Pattern idPattern;
  private final TokenFamily tokens;
  private final SecretShape secretShape;
  private final boolean severalSecrets;
  private final boolean ruleSets;
  private final boolean cloudCall;
  private final boolean openApiManagement;
  private final WellKnownApp wellKnownApp;
  private final Dialect dialect;
  private final CloudCallShape cloudCallShape;
  private final Map<MessageChannel, MessageCatalog> messages;

  private ProductProfile(Builder b) {
    this.product = b.product;
    this.idField = b.idField;
    this.idLetters = b.idLetters;
    this.idPattern = Pattern.compile(Pattern.quote(b.idLetters) + "[0-9a-f]{16}");
    this.tokens = b.tokens;
    this.secretShape = b.secretShape;
    this.severalSecrets = b.severalSecrets;
    this.ruleSets = b.ruleSets;
    this.cloudCall = b.cloudCall;
    this.openApiManagement = b.openApiManagement;
    this.wellKnownApp = b.wellKnownApp;
    this.dialect = b.dialect;
    this.cloudCallShape = b.cloudCall ? new CloudCallShape(b.dialect) : null;
    this.messages = Map.copyOf(b.messages);
  }

  public static ProductProfile of(Product product) {
    return switch (product) {
      case OFFICIAL_ACCOUNT -> OFFICIAL_ACCOUNT;
      case MINI_PROGRAM -> MINI_PROGRAM;
      case WECOM -> WECOM;
    };
  }

  public Product product() {
    return product;
  }

  /** The parameter and configuration key that names an app: appid, or corpid for a WeCom corp. */
  public IdField idField() {
    return idField;
  }

  /** The shape of an id this server generates or accepts for a created app (wx… / ww… and 16 hex digits). */
  public Pattern idPattern() {
    return idPattern;
  }

  public String newId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return idLetters + HexFormat.of().formatHex(bytes);
  }

  public String newSecret() {
    return secretShape.generate();
  }

  public TokenFamily tokens() {
    return tokens;
  }

  /** Whether an app has several secrets (WeCom: one per application of the corp) or exactly one. */
  public boolean severalSecrets() {
    return severalSecrets;
  }

  /** Whether an app may choose its rule set ({@code rules: classic-2013}): only the product whose limits changed. */
  public boolean ruleSets() {
    return ruleSets;
  }

  public WellKnownApp wellKnownApp() {
    return wellKnownApp;
  }

  public Dialect dialect() {
    return dialect;
  }

  /**
   * Whether its apps have WeChat's openapi management calls (clear_quota, quota/get, rid/get):
   * Official Accounts and Mini Programs do; WeCom has no equivalent.
   */
  public boolean openApiManagement() {
    return openApiManagement;
  }

  /** The cloud-call envelope, for the product whose apps call the cloud-call endpoints; empty for the others. */
  public Optional<CloudCallShape> cloudCall() {
    return Optional.ofNullable(cloudCallShape);
  }

  /** The message types its apps send through {@code channel}; empty when the channel is not one of its. */
  public Optional<MessageCatalog> messages(MessageChannel channel) {
    return Optional.ofNullable(messages.get(channel));
  }

  /** The length of this product's media ids: the dialect's prefix and 64 characters. */
  public int mediaIdLength() {
    return dialect.mediaIdPrefix().length() + Dialect.MEDIA_ID_CHARS;
  }

  @Override
  public String toString() {
    return product.wireName();
  }

  static Builder builder(Product product) {
    return new Builder(product);
  }

  /** Named fields for a definition; nothing positional. */
  static final class Builder {
    private final Product product;
    private IdField idField;
    private String idLetters;
    private TokenFamily tokens;
    private SecretShape secretShape;
    private boolean severalSecrets;
    private boolean ruleSets;
    private boolean cloudCall;
    private boolean openApiManagement;
    private WellKnownApp wellKnownApp;
    private Dialect dialect;
    private final Map<MessageChannel, MessageCatalog> messages =
        new EnumMap<>(MessageChannel.class);

    private Builder(Product product) {
      this.product = product;
    }

    Builder idField(IdField v) {
      idField = v;
      return this;
    }

    Builder idLetters(String v) {
      idLetters = v;
      return this;
    }

    Builder tokens(TokenFamily v) {
      tokens = v;
      return this;
    }

    Builder secretShape(SecretShape v) {
      secretShape = v;
      return this;
    }

    Builder severalSecrets(boolean v) {
      severalSecrets = v;
      return this;
    }

    Builder ruleSets(boolean v) {
      ruleSets = v;
      return this;
    }

    Builder openApiManagement(boolean v) {
      openApiManagement = v;
      return this;
    }

    Builder cloudCall(boolean v) {
      cloudCall = v;
      return this;
    }

    Builder messages(MessageChannel channel, MessageCatalog catalog) {
      if (messages.put(channel, catalog) != null) {
        throw new IllegalArgumentException(product + " has two catalogs for " + channel);
      }
      return this;
    }

    Builder wellKnownApp(String id, String secret) {
      wellKnownApp = new WellKnownApp(id, secret);
      return this;
    }

    Builder dialect(Dialect v) {
      if (v.product() != product) {
        throw new IllegalArgumentException(product + " cannot speak " + v.product() + "'s dialect");
      }
      dialect = v;
      return this;
    }

    ProductProfile build() {
      return new ProductProfile(this);
    }
  }
}
