package io.brook.web.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bytes a reader keeps from one read to the next come out of the shared budget first and go back
 * when the frame completes or the reader stops; a frame over the budget is let go, and a frame that
 * arrives in one read needs no budget. The reader notes when a frame began and when bytes arrived.
 */
class FrameReaderBudgetTest {
  static final int MAX_FRAME = 1000;
  final BufferBudget budget = new BufferBudget(1500);
  long nowMs = 1_000;

  final class Recording implements FrameReader.Sink {
    final List<String> frames = new ArrayList<>();
    final List<Integer> overBudget = new ArrayList<>();
    final FrameReader reader = new FrameReader(MAX_FRAME, this, bytes -> {}, budget, () -> nowMs);

    @Override
    public void onFrame(Buffer json) {
      frames.add(json.toString());
    }

    @Override
    public void onBadLength(int length) {
      throw new AssertionError("bad length " + length);
    }

    @Override
    public void onBufferBudgetExceeded(int length) {
      overBudget.add(length);
    }
  }

  static Buffer header(int length) {
    return Buffer.buffer().appendInt(length);
  }

  static Buffer bytes(int count) {
    return Buffer.buffer("x".repeat(count));
  }

  @Test
  void partlyReadFramesHoldBudgetUntilTheyCompleteOrTheReaderStops() {
    Recording a = new Recording();
    Recording b = new Recording();
    a.reader.handle(header(800).appendBuffer(bytes(300)));
    b.reader.handle(header(800).appendBuffer(bytes(500)));
    assertThat(budget.used()).isEqualTo(800);
    a.reader.handle(bytes(500)); // completes a's frame: its last part is never held across reads
    assertThat(a.frames).containsExactly("x".repeat(800));
    assertThat(budget.used()).isEqualTo(500);
    b.reader.stop();
    assertThat(budget.used()).isZero();
    assertThat(budget.peak()).isEqualTo(800);
  }

  @Test
  void aFrameThatWouldExceedTheBudgetIsLetGoAndTheReaderStops() {
    Recording a = new Recording();
    Recording b = new Recording();
    a.reader.handle(header(1000).appendBuffer(bytes(900)));
    b.reader.handle(header(1000).appendBuffer(bytes(500)));
    assertThat(budget.used()).isEqualTo(1400);
    b.reader.handle(bytes(200)); // 1600 > 1500
    assertThat(b.overBudget).containsExactly(1000);
    assertThat(b.reader.bufferedBytes()).isZero();
    assertThat(budget.used()).isEqualTo(900);
    b.reader.handle(bytes(300).appendBuffer(header(2)).appendString("{}"));
    assertThat(b.frames).as("a stopped reader reads nothing more").isEmpty();
    assertThat(budget.peak()).isLessThanOrEqualTo(budget.maxBytes());
  }

  @Test
  void aFrameReadWholeInOneReadIsServedWhileTheBudgetIsSpent() {
    Recording hog = new Recording();
    hog.reader.handle(header(1000).appendBuffer(bytes(999)));
    Recording hog2 = new Recording();
    hog2.reader.handle(header(1000).appendBuffer(bytes(501)));
    assertThat(budget.used()).isEqualTo(1500);

    Recording small = new Recording();
    small.reader.handle(header(2).appendString("{}").appendBuffer(header(1000)).appendBuffer(bytes(1000)));
    assertThat(small.frames).containsExactly("{}", "x".repeat(1000));
    assertThat(small.overBudget).isEmpty();
    assertThat(budget.used()).isEqualTo(1500);
  }

  @Test
  void theReaderNotesWhenAFrameBeganAndWhenBytesLastArrived() {
    Recording r = new Recording();
    assertThat(r.reader.frameStartMs()).isEqualTo(-1);
    assertThat(r.reader.lastReadMs()).isEqualTo(1_000);
    nowMs = 2_000;
    r.reader.handle(Buffer.buffer(new byte[] {0})); // one byte of a header
    assertThat(r.reader.frameStartMs()).isEqualTo(2_000);
    nowMs = 3_000;
    r.reader.handle(Buffer.buffer(new byte[] {0, 0, 2}).appendString("{"));
    assertThat(r.reader.frameStartMs()).as("from the first byte").isEqualTo(2_000);
    assertThat(r.reader.lastReadMs()).isEqualTo(3_000);
    nowMs = 4_000;
    r.reader.handle(Buffer.buffer("}").appendBuffer(header(2)).appendString("{}"));
    assertThat(r.frames).containsExactly("{}", "{}");
    assertThat(r.reader.frameStartMs()).as("between frames").isEqualTo(-1);
    r.reader.handle(header(5).appendString("{"));
    assertThat(r.reader.frameStartMs()).isEqualTo(4_000);
  }
}
