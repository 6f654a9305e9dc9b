package dev.tempmedia.auth;

import dev.tempmedia.config.TempmediaConfig.RuleSetName;
import dev.tempmedia.wechat.Dialect;
import dev.tempmedia.wechat.Product;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.OptionalInt;

/**
 * An app that may call the API: an official account or mini program named by its appid, or a WeCom
 * corp named by its corpid with one or more secrets (each secret is one of the corp's applications;
 * all of them share the corp's media).
 *
 * @param rules the rule set for this app, or null to follow the server's
 */
public record App(Product product, String id, List<String> secrets, RuleSetName rules) {

  public App {
    secrets = List.copyOf(secrets);
  }

  public Dialect dialect() {
    return Dialect.of(product);
  }

  /** The media isolation domain: the appid, or the corpid for every secret of a corp. */
  public String mediaDomain() {
    return id;
  }

  /** Which of the app's secrets this is, compared in constant time; empty when none matches. */
  public OptionalInt secretIndex(String candidate) {
    byte[] given = candidate.getBytes(StandardCharsets.UTF_8);
    int found = -1;
    for (int i = 0; i < secrets.size(); i++) {
      if (MessageDigest.isEqual(given, secrets.get(i).getBytes(StandardCharsets.UTF_8))
          && found < 0) {
        found = i;
      }
    }
    return found < 0 ? OptionalInt.empty() : OptionalInt.of(found);
  }

  @Override
  public String toString() {
    return "App[" + product.wireName() + " " + id + ", " + secrets.size() + " secret(s)]";
  }
}
