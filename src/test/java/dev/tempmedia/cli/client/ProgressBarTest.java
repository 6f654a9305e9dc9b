package dev.tempmedia.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  final StringWriter text = new StringWriter();
  final AtomicLong now = new AtomicLong();
  final ProgressBar bar = new ProgressBar(new PrintWriter(text), "get", now::get);

  @Test
  void drawsInPlaceAtMostTenTimesASecond() {
    bar.start(0, 4_000_000);
    bar.advance(1_000_000);
    now.addAndGet(50_000_000);
    bar.advance(1_000_000); // too soon: not drawn
    now.addAndGet(60_000_000);
    bar.advance(1_000_000);
    bar.finish();
    String[] draws = text.toString().split("\r", -1);
    assertThat(draws).hasSize(4); // "" before the first \r, then start, 3 MB, finish
    assertThat(draws[1]).isEqualTo("get [>                             ]   0%  0 B / 4.0 MB");
    assertThat(draws[2]).isEqualTo("get [======================>       ]  75%  3.0 MB / 4.0 MB");
    assertThat(draws[3]).startsWith("get [======================>       ]  75%  3.0 MB / 4.0 MB");
  }

  @Test
  void resumedTransferStartsPartWayAndUnknownSizeShowsBytes() {
    bar.start(2_500_000, 5_000_000);
    assertThat(bar.line()).contains(" 50%  2.5 MB / 5.0 MB");
    ProgressBar open = new ProgressBar(new PrintWriter(new StringWriter()), "get", now::get);
    open.start(0, -1);
    open.advance(1500);
    assertThat(open.line()).isEqualTo("get 1.5 kB");
  }

  @Test
  void nothingIsWrittenWhenNothingWasDrawn() {
    bar.finish();
    assertThat(text.toString()).isEmpty();
  }
}
