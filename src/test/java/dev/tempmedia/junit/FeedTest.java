package dev.tempmedia.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A feed nobody takes from stays bounded: the oldest items go first, and a take says so. */
class FeedTest {
  @Test
  void keepsAtMostItsCapacityDroppingTheOldest() {
    Feed<Integer> feed = new Feed<>("number", 3);
    for (int i = 1; i <= 5; i++) {
      feed.offer(i);
    }
    assertThat(feed.size()).isEqualTo(3);
    assertThat(feed.dropped()).isEqualTo(2);
    assertThat(feed.drain()).containsExactly(3, 4, 5);
    assertThatThrownBy(() -> feed.take(Duration.ofMillis(10)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("2 older ones were dropped untaken");
    feed.clear();
    assertThat(feed.dropped()).isZero();
  }
}
