package io.brook.web.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/**
 * A frame under way is judged by the frame-read timeout from its first byte, however steadily it
 * trickles; a connection between frames by the idle timeout from its last byte or the last time it
 * had a request waiting for an answer. Time is a manual clock.
 */
class BridgeTimeoutsTest {
  final BridgeTimeouts timeouts = new BridgeTimeouts(10_000, 3_000);
  long nowMs = 0;
  final FrameReader reader = new FrameReader(1 << 20, new FrameReader.Sink() {
    @Override
    public void onFrame(Buffer json) {}

    @Override
    public void onBadLength(int length) {}

    @Override
    public void onBufferBudgetExceeded(int length) {}
  }, bytes -> {}, BufferBudget.unlimited(), () -> nowMs);

  @Test
  void aTricklingFrameExpiresAtTheFrameTimeoutFromItsFirstByte() {
    reader.handle(Buffer.buffer().appendInt(100));
    for (nowMs = 0; nowMs < 3_000; nowMs += 500) {
      assertThat(timeouts.expired(reader, -1, nowMs)).isNull();
      reader.handle(Buffer.buffer("x")); // a byte every half second: never idle, never done
    }
    assertThat(timeouts.expired(reader, -1, nowMs)).startsWith("frame_timeout")
        .contains("bridge.frame.read.timeout.ms");
  }

  @Test
  void aQuietConnectionExpiresAtTheIdleTimeoutUnlessARequestWasWaiting() {
    reader.handle(Buffer.buffer().appendInt(2).appendString("{}"));
    assertThat(timeouts.expired(reader, -1, 9_999)).isNull();
    assertThat(timeouts.expired(reader, -1, 10_000)).startsWith("idle_timeout").contains("bridge.idle.timeout.ms");
    assertThat(timeouts.expired(reader, 5_000, 10_000)).as("busy until 5 s").isNull();
    assertThat(timeouts.expired(reader, 5_000, 15_000)).startsWith("idle_timeout");
  }

  @Test
  void theSweepRunsAtATenthOfTheShorterTimeoutWithinBounds() {
    assertThat(timeouts.sweepPeriodMs()).isEqualTo(300);
    assertThat(new BridgeTimeouts(600_000, 30_000).sweepPeriodMs()).isEqualTo(1000);
    assertThat(new BridgeTimeouts(50, 30_000).sweepPeriodMs()).isEqualTo(10);
  }
}
