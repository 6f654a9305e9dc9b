package dev.tempmedia.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One part's bytes in pooled direct chunks: order, ownership and release. */
class PartBytesTest {

  /** Hands out direct buffers and keeps them, so a test can see what became of each. */
  static class RecordingAllocator extends AbstractByteBufAllocator {
    final List<ByteBuf> handedOut = new ArrayList<>();

    RecordingAllocator() {
      super(true);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      ByteBuf buffer = Unpooled.directBuffer(initialCapacity, maxCapacity);
      handedOut.add(buffer);
      return buffer;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      throw new AssertionError("a part's bytes go to direct memory");
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }

    boolean allReleased() {
      return handedOut.stream().allMatch(b -> b.refCnt() == 0);
    }
  }

  final RecordingAllocator allocator = new RecordingAllocator();
  final PartMemory memory = PartMemory.ofMegabytes(32);

  static byte[] random(int n, long seed) {
    byte[] bytes = new byte[n];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void unevenAppendsAcrossChunkBoundariesComeBackInOrderInDirectChunks() throws IOException {
    byte[] file = random(3 * PartBytes.CHUNK_BYTES + 123, 7);
    PartBytes part = new PartBytes(allocator, memory);
    int[] steps = {1, 4095, PartBytes.CHUNK_BYTES, 17, PartBytes.CHUNK_BYTES - 5, 70_000};
    int at = 0;
    for (int i = 0; at < file.length; i++) {
      int n = Math.min(steps[i % steps.length], file.length - at);
      ByteBuffer source = ByteBuffer.wrap(file, at, n);
      part.append(source);
      assertThat(source.hasRemaining()).as("append takes every remaining byte").isFalse();
      at += n;
    }

    assertThat(part.size()).isEqualTo(file.length);
    assertThat(allocator.handedOut).hasSize(4).allMatch(ByteBuf::isDirect);
    ByteBuf body = part.retainedBody();
    try {
      assertThat(ByteBufUtil.getBytes(body)).isEqualTo(file);
    } finally {
      body.release();
    }
    part.release();
    assertThat(allocator.allReleased()).isTrue();
  }

  @Test
  void aBodyHeldKeepsTheChunksPastReleaseUntilItIsReleasedToo() throws IOException {
    byte[] file = random(PartBytes.CHUNK_BYTES + 10, 8);
    PartBytes part = new PartBytes(allocator, memory);
    part.append(ByteBuffer.wrap(file));
    ByteBuf body = part.retainedBody();

    part.release();
    assertThat(allocator.handedOut).noneMatch(b -> b.refCnt() == 0);
    assertThat(ByteBufUtil.getBytes(body)).isEqualTo(file);

    body.release();
    assertThat(allocator.allReleased()).isTrue();
  }

  @Test
  void oneChunkIsHandedOutWithoutAComposite() throws IOException {
    PartBytes part = new PartBytes(allocator, memory);
    part.append(ByteBuffer.wrap("hello".getBytes()));
    ByteBuf body = part.retainedBody();
    assertThat(body.nioBufferCount()).isEqualTo(1);
    assertThat(body.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("hello");
    body.release();
    part.release();
    assertThat(allocator.allReleased()).isTrue();
  }

  @Test
  void anEmptyPartIsAnEmptyBody() throws IOException {
    PartBytes part = new PartBytes(allocator, memory);
    ByteBuf body = part.retainedBody();
    assertThat(body.readableBytes()).isZero();
    body.release();
    part.release();
    assertThat(allocator.allReleased()).isTrue();
  }

  @Test
  void afterReleaseNothingMoreGoesInOrComesOutAndReleasingAgainChangesNothing() throws IOException {
    PartBytes part = new PartBytes(allocator, memory);
    part.append(ByteBuffer.wrap(new byte[100]));
    part.release();
    part.release();

    assertThat(allocator.allReleased()).isTrue();
    assertThatThrownBy(() -> part.append(ByteBuffer.wrap(new byte[1])))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(part::retainedBody)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("aborted");
  }

  @Test
  void everyChunkCountsAgainstTheBudgetUntilThePartIsReleased() throws IOException {
    PartBytes part = new PartBytes(allocator, memory);
    part.append(ByteBuffer.wrap(random(PartBytes.CHUNK_BYTES + 1, 3)));
    assertThat(memory.heldBytes()).isEqualTo(2L * PartBytes.CHUNK_BYTES);
    part.append(ByteBuffer.wrap(random(10, 4)));
    assertThat(memory.heldBytes())
        .as("the second chunk has room")
        .isEqualTo(2L * PartBytes.CHUNK_BYTES);
    part.sending(this);
    part.release();
    part.release();
    assertThat(memory.heldBytes()).isZero();
    assertThat(memory.peakBytes()).isEqualTo(2L * PartBytes.CHUNK_BYTES);
    assertThat(allocator.allReleased()).isTrue();
  }

  @Test
  void aChunkRefusedForWantOfDirectMemoryFailsTheAppendAndTheRestIsStillReleased()
      throws IOException {
    RecordingAllocator capped = new RecordingAllocator() {
      @Override
      protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        if (handedOut.size() == 1) {
          throw new OutOfMemoryError("Cannot reserve 65536 bytes of direct buffer memory");
        }
        return super.newDirectBuffer(initialCapacity, maxCapacity);
      }
    };
    PartBytes part = new PartBytes(capped, memory);
    assertThatThrownBy(() -> part.append(ByteBuffer.wrap(random(PartBytes.CHUNK_BYTES + 1, 5))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no direct memory left");
    assertThat(memory.heldBytes()).as("only the chunk it got").isEqualTo(PartBytes.CHUNK_BYTES);
    part.release();
    assertThat(memory.heldBytes()).isZero();
    assertThat(capped.allReleased()).isTrue();
  }
}
