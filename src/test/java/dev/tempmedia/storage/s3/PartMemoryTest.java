package dev.tempmedia.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The budget of the parts of all uploads to S3: who reads on, who waits, and who is let past it. */
class PartMemoryTest {
  static final long MIB = 1 << 20;

  final PartMemory memory = new PartMemory(4 * MIB);
  final Object a = "writer a";
  final Object b = "writer b";
  final Object c = "writer c";
  final List<Object> resumed = new ArrayList<>();

  Runnable resume(Object writer) {
    return () -> resumed.add(writer);
  }

  @Test
  void underTheBudgetNobodyWaits() {
    memory.take(3 * MIB);
    assertThat(memory.mustWait(a)).isFalse();
    memory.whenRoom(a, resume(a));
    assertThat(resumed).containsExactly(a);
  }

  @Test
  void pastTheBudgetWritersWaitUntilASentPartGivesItsMemoryBack() {
    memory.take(2 * MIB); // a's part, full
    memory.sending(a, 2 * MIB);
    memory.take(2 * MIB); // b's part, filling
    assertThat(memory.mustWait(b)).isTrue();
    assertThat(memory.mustWait(c)).isTrue();
    memory.whenRoom(b, resume(b));
    memory.whenRoom(c, resume(c));
    assertThat(resumed).as("a part is on its way: no overdraft").isEmpty();

    memory.release(2 * MIB, true); // a's PUT is done
    assertThat(resumed).containsExactly(b, c);
    assertThat(memory.heldBytes()).isEqualTo(2 * MIB);
    assertThat(memory.peakBytes()).isEqualTo(4 * MIB);
  }

  @Test
  void whenTheWholeBudgetSitsInPartsStillFillingTheLongestWaitingIsLetPast() {
    memory.take(2 * MIB);
    memory.take(2 * MIB);
    memory.whenRoom(a, resume(a));
    memory.whenRoom(b, resume(b));
    assertThat(resumed).as("nothing is sending: else nobody would ever resume").containsExactly(a);
    assertThat(memory.mustWait(a)).as("the overdraft").isFalse();
    assertThat(memory.mustWait(b)).isTrue();

    memory.take(3 * MIB); // a fills its part past the budget
    assertThat(memory.mustWait(a)).isFalse();
    memory.sending(a, 5 * MIB);
    assertThat(memory.mustWait(a))
        .as("the overdraft ends with the part handed over")
        .isTrue();
    memory.whenRoom(a, resume(a));
    assertThat(resumed).as("b waits for a's PUT, not for another overdraft").containsExactly(a);

    memory.release(5 * MIB, true);
    assertThat(resumed).containsExactly(a, b, a);
  }

  @Test
  void aWriterThatLeavesStopsWaitingAndHandsTheOverdraftOn() {
    memory.take(4 * MIB);
    memory.whenRoom(a, resume(a)); // a gets the overdraft
    memory.whenRoom(b, resume(b));
    memory.whenRoom(c, resume(c));
    assertThat(resumed).containsExactly(a);

    memory.leave(a); // aborted: its memory is still held until its part is released
    assertThat(resumed).containsExactly(a, b);
    memory.leave(c);
    memory.release(4 * MIB, false);
    assertThat(resumed).as("c left: never resumed").containsExactly(a, b);
  }
}
