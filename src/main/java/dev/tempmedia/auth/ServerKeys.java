package dev.tempmedia.auth;

import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.state.StateStore;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The server's secret key and the purpose keys derived from it. Taken from {@code security.signingKey}
 * when configured; otherwise generated once and kept in the state store, which is what lets every
 * instance sharing that state verify every token and media_id with no extra setting.
 */
public final class ServerKeys {
  private static final int GENERATED_KEY_BYTES = 32;

  private final Signer tokens;
  private final Signer mediaIds;
  private final Signer links;

  private ServerKeys(byte[] master) {
    this.tokens = Signer.derive(master, "tempmedia/access_token/v1");
    this.mediaIds = Signer.derive(master, "tempmedia/media_id/v1");
    this.links = Signer.derive(master, "tempmedia/video_url/v1");
  }

  public static ServerKeys resolve(TempmediaConfig.Security security, StateStore state) {
    String configured = security.signingKey();
    if (configured != null && !configured.isBlank()) {
      return new ServerKeys(Base64.getDecoder().decode(configured.trim()));
    }
    byte[] candidate = new byte[GENERATED_KEY_BYTES];
    new SecureRandom().nextBytes(candidate);
    return new ServerKeys(state.signingKey(candidate));
  }

  public Signer tokens() {
    return tokens;
  }

  public Signer mediaIds() {
    return mediaIds;
  }

  public Signer links() {
    return links;
  }
}
