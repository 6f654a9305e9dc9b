package dev.tempmedia.media;

import dev.tempmedia.auth.Signer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * The {@code video_url} an Official Account or Mini Program gets for a video: a link to this server
 * that needs no access_token, signed over the app, the media_id and an expiry, so it can be handed to
 * a player or a browser and can be neither widened to other media nor extended.
 */
public final class VideoLinks {
  public static final String PATH_PREFIX = "/_tempmedia/video/";
  /** A link lives a day, or less when the media expires sooner. */
  static final long LINK_SECONDS = 24 * 3600;

  private final Signer signer;

  public VideoLinks(Signer signer) {
    this.signer = signer;
  }

  /** {@code publicUrl/_tempmedia/video/APPID/MEDIA_ID?expires=E&signature=S}. */
  public String url(String publicUrl, String appId, String mediaId, MediaId id, long now) {
    long expires = Math.min(now + LINK_SECONDS, id.expiresAt());
    return publicUrl + PATH_PREFIX + appId + "/" + mediaId + "?expires=" + expires + "&signature="
        + sign(appId, mediaId, expires);
  }

  /** The link's app and media_id when its signature holds and it has not expired; why not otherwise. */
  public record Verified(String appId, String mediaId) {}

  public Optional<Verified> verify(String path, String expiresParam, String signature, long now) {
    if (!path.startsWith(PATH_PREFIX) || expiresParam == null || signature == null) {
      return Optional.empty();
    }
    String[] parts = path.substring(PATH_PREFIX.length()).split("/", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      return Optional.empty();
    }
    long expires;
    try {
      expires = Long.parseLong(expiresParam);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    byte[] expected = sign(parts[0], parts[1], expires).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))
        || now >= expires) {
      return Optional.empty();
    }
    return Optional.of(new Verified(parts[0], parts[1]));
  }

  private String sign(String appId, String mediaId, long expires) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(signer.tagOf(appId + "\n" + mediaId + "\n" + expires));
  }
}
