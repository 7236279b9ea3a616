package io.brook.web.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Frames are cut right however the stream is split, and no more than the limit is ever held. */
class FrameReaderTest {
  static final int MAX = 1024;
  final List<String> frames = new ArrayList<>();
  final List<Integer> badLengths = new ArrayList<>();
  int peakBuffered;
  final FrameReader reader = new FrameReader(MAX, new FrameReader.Sink() {
    @Override
    public void onFrame(Buffer json) {
      frames.add(json.toString());
    }

    @Override
    public void onBadLength(int length) {
      badLengths.add(length);
    }

    @Override
    public void onBufferBudgetExceeded(int length) {
      throw new AssertionError("no budget here");
    }
  });

  static Buffer frame(String json) {
    return Buffer.buffer().appendInt(json.length()).appendString(json);
  }

  void feedInPieces(Buffer stream, Random random) {
    int position = 0;
    while (position < stream.length()) {
      int end = Math.min(stream.length(), position + 1 + random.nextInt(50));
      reader.handle(stream.slice(position, end));
      peakBuffered = Math.max(peakBuffered, reader.bufferedBytes());
      position = end;
    }
  }

  @Test
  void framesSurviveAnySplit() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Buffer stream = Buffer.buffer();
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String json = "{\"i\":" + i + ",\"pad\":\"" + "x".repeat(random.nextInt(MAX - 30)) + "\"}";
      sent.add(json);
      stream.appendBuffer(frame(json));
      if (i % 20 == 0) {
        sent.add("");
        stream.appendInt(0); // an empty frame: emitted, and the reader goes on
      }
    }
    feedInPieces(stream, random);
    assertThat(frames).as("seed %d", seed).isEqualTo(sent);
    assertThat(badLengths).isEmpty();
    assertThat(peakBuffered).isLessThanOrEqualTo(MAX);
  }

  @Test
  void aLengthOverTheLimitStopsTheReaderBeforeAnyByteIsKept() {
    Buffer stream = frame("{\"ok\":1}").appendInt(Integer.MAX_VALUE).appendBytes(new byte[1 << 20])
        .appendBuffer(frame("{\"after\":1}"));
    feedInPieces(stream, new Random(1));
    assertThat(frames).containsExactly("{\"ok\":1}");
    assertThat(badLengths).containsExactly(Integer.MAX_VALUE);
    assertThat(peakBuffered).isLessThan(16);
  }

  @Test
  void aFrameAtTheLimitPassesAndOneByteMoreIsRefused() {
    reader.handle(frame("x".repeat(MAX)));
    assertThat(frames).hasSize(1);
    reader.handle(Buffer.buffer().appendInt(MAX + 1));
    assertThat(badLengths).containsExactly(MAX + 1);
  }

  @Test
  void aNegativeLengthIsBad() {
    reader.handle(Buffer.buffer().appendInt(-1).appendString("{}"));
    assertThat(badLengths).containsExactly(-1);
    assertThat(frames).isEmpty();
  }
}
