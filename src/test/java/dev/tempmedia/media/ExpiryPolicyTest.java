package dev.tempmedia.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.media.rules.MediaType;
import dev.tempmedia.storage.Partition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which hours have expired, and the store's own expiry derived from the media lifetime. */
class ExpiryPolicyTest {
  static final String DOMAIN = "0123456789abcdef";

  @Test
  void anHourExpiresAWholeLifetimeAfterItEnded() {
    Partition hour = new Partition(DOMAIN, Instant.parse("2026-11-22T10:00:00Z").getEpochSecond());
    MediaId last = new MediaId(
        MediaType.IMAGE,
        MediaFormat.JPEG,
        hour.endEpochSecond() - 1,
        DOMAIN,
        "00112233445566778899aabbccddeeff");
    long expiresAt = last.expiresAt();
    assertThat(last.expiredAt(expiresAt - 1)).isFalse();
    assertThat(ExpiryPolicy.MEDIA.expired(hour, expiresAt - 1)).isFalse();
    // Created-at is known to the second, but the rule is on whole hours: it keeps the hour one
    // second more.
    assertThat(ExpiryPolicy.MEDIA.expired(hour, expiresAt)).isFalse();
    assertThat(ExpiryPolicy.MEDIA.expired(hour, expiresAt + 1)).isTrue();
  }

  @Test
  void theStoresOwnExpiryIsTheLifetimeInWholeDaysPlusOne() {
    assertThat(ExpiryPolicy.MEDIA.storeExpiryDays()).isEqualTo(4);
    assertThat(new ExpiryPolicy(86_400).storeExpiryDays()).isEqualTo(2);
    assertThat(new ExpiryPolicy(86_401).storeExpiryDays()).isEqualTo(3);
    assertThat(new ExpiryPolicy(1).storeExpiryDays()).isEqualTo(2);
  }
}
