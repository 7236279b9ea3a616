package io.brook.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames are cut the same however the bytes arrive; sizes are checked first; a paused reader hands on nothing. */
class FrameReaderTest {
  /** A socket that only records whether it is paused. */
  private static final class Socket implements ReadStream<Buffer> {
    boolean paused;

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      paused = true;
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      paused = false;
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
      return this;
    }
  }

  private final Socket socket = new Socket();
  private final List<String> frames = new ArrayList<>();
  private final List<Integer> refused = new ArrayList<>();
  private FrameReader reader;
  private boolean pauseAfterEach;

  private FrameReader reader(int maxSize) {
    reader = new FrameReader(socket, new FrameReader.Frames() {
      @Override
      public boolean sizeAllowed(int size) {
        if (size <= 0 || size > maxSize) {
          refused.add(size);
          return false;
        }
        return true;
      }

      @Override
      public void frame(ByteBuffer frame) {
        frames.add(StandardCharsets.UTF_8.decode(frame).toString());
        if (pauseAfterEach) {
          reader.pause();
        }
      }
    });
    return reader;
  }

  private static byte[] wire(String... payloads) {
    Buffer all = Buffer.buffer();
    for (String payload : payloads) {
      byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
      all.appendInt(bytes.length).appendBytes(bytes);
    }
    return all.getBytes();
  }

  @Test
  void framesAreTheSameWhateverTheReadBoundaries() {
    byte[] bytes = wire("first", "a much longer second frame", "3");
    for (int step = 1; step <= bytes.length; step++) {
      frames.clear();
      FrameReader reader = reader(1000);
      for (int at = 0; at < bytes.length; at += step) {
        reader.handle(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + step))));
      }
      assertThat(frames).as("reads of %d bytes", step).containsExactly("first", "a much longer second frame", "3");
    }
  }

  @Test
  void aSizeOutsideTheLimitStopsTheReaderBeforeItsFrameIsKept() {
    FrameReader reader = reader(10);
    reader.handle(Buffer.buffer(wire("ok", "this one is too long", "never")));
    assertThat(frames).containsExactly("ok");
    assertThat(refused).containsExactly(20);
    reader.handle(Buffer.buffer(wire("after")));
    assertThat(frames).containsExactly("ok");

    refused.clear();
    reader(10).handle(Buffer.buffer(new byte[] {-1, -1, -1, -1}));
    assertThat(refused).containsExactly(-1);
  }

  @Test
  void aPausedReaderHandsOnNothingUntilResumed() {
    pauseAfterEach = true;
    FrameReader reader = reader(1000);
    reader.handle(Buffer.buffer(wire("one", "two", "three")));
    assertThat(frames).containsExactly("one");
    assertThat(socket.paused).isTrue();
    reader.resume();
    assertThat(frames).containsExactly("one", "two");
    pauseAfterEach = false;
    reader.resume();
    assertThat(frames).containsExactly("one", "two", "three");
    assertThat(socket.paused).isFalse();
  }
}
