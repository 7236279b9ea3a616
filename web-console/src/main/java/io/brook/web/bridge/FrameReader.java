package io.brook.web.bridge;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * Cuts a TCP byte stream into bridge frames: a 4-byte big-endian length, then that many bytes of
 * JSON. The length is checked against {@code maxFrameBytes} before a byte of the frame is kept, and
 * a frame's buffer grows only with the bytes that actually arrived (a declared length reserves
 * nothing), so one connection holds at most {@code maxFrameBytes} plus one read. A bad length stops
 * the reader for good: after it the stream cannot be re-synchronised. Owned by the socket's event loop.
 *
 * <p>Bytes kept across reads (a frame that did not arrive whole in one read) are reserved in the
 * bridge's {@link BufferBudget} first; when they do not fit, the reader lets go of the frame, stops,
 * and tells its sink. A frame that arrives whole in one read holds nothing across reads and needs no
 * budget, so small requests are served even while the budget is spent. The reader also notes when
 * the last bytes arrived and when the frame being read began (its first header byte), for the
 * bridge's idle and frame-read timeouts.
 */
final class FrameReader implements Handler<Buffer> {
  /** What the reader found. */
  interface Sink {
    void onFrame(Buffer json);

    /** A negative length or one above the limit; the reader ignores everything after it. */
    void onBadLength(int length);

    /**
     * The frame being read (of {@code length} bytes) would take the bridge's partly read frames over
     * its budget; the reader has let go of it and ignores everything after it.
     */
    void onBufferBudgetExceeded(int length);
  }

  private static final int INITIAL_BODY_CAPACITY = 4096;

  private final int maxFrameBytes;
  private final Sink sink;
  private final IntConsumer bufferedBytesSeen;
  private final BufferBudget budget;
  private final LongSupplier clockMs;
  private int headerBytes;
  private int declaredLength;
  private Buffer body; // null while reading a header
  private int reserved; // bytes of body reserved in the budget
  private boolean stopped;
  private long lastReadMs;
  private long frameStartMs = -1;

  FrameReader(int maxFrameBytes, Sink sink) {
    this(maxFrameBytes, sink, bytes -> {});
  }

  /** {@code bufferedBytesSeen} hears how much a frame holds each time it grows (for a high-water mark). */
  FrameReader(int maxFrameBytes, Sink sink, IntConsumer bufferedBytesSeen) {
    this(maxFrameBytes, sink, bufferedBytesSeen, BufferBudget.unlimited(), FrameReader::monotonicMs);
  }

  /** With the bridge's shared budget for partly read frames and the clock its timeouts use. */
  FrameReader(int maxFrameBytes, Sink sink, IntConsumer bufferedBytesSeen, BufferBudget budget, LongSupplier clockMs) {
    this.maxFrameBytes = maxFrameBytes;
    this.sink = sink;
    this.bufferedBytesSeen = bufferedBytesSeen;
    this.budget = budget;
    this.clockMs = clockMs;
    this.lastReadMs = clockMs.getAsLong();
  }

  static long monotonicMs() {
    return System.nanoTime() / 1_000_000;
  }

  /** Ignores every byte from now on (the connection is closing) and gives its bytes back to the budget. */
  void stop() {
    stopped = true;
    releaseBody();
  }

  /** Bytes held for the frame being read. */
  int bufferedBytes() {
    return body == null ? 0 : body.length();
  }

  /** When the last bytes arrived (the clock's milliseconds); the reader's creation before any. */
  long lastReadMs() {
    return lastReadMs;
  }

  /** When the first byte of the frame being read arrived, or -1 between frames. */
  long frameStartMs() {
    return frameStartMs;
  }

  @Override
  public void handle(Buffer chunk) {
    long nowMs = clockMs.getAsLong();
    lastReadMs = nowMs;
    int position = 0;
    while (!stopped && position < chunk.length()) {
      if (body == null) {
        if (headerBytes == 0) {
          frameStartMs = nowMs;
        }
        position = readHeader(chunk, position); // may also stop the reader, or emit a frame read whole
      } else {
        position = readBody(chunk, position);
      }
    }
  }

  private int readHeader(Buffer chunk, int position) {
    while (headerBytes < 4 && position < chunk.length()) {
      declaredLength = (declaredLength << 8) | (chunk.getByte(position++) & 0xff);
      headerBytes++;
    }
    if (headerBytes < 4) {
      return position;
    }
    headerBytes = 0;
    if (declaredLength < 0 || declaredLength > maxFrameBytes) {
      stopped = true;
      sink.onBadLength(declaredLength);
      return position;
    }
    if (declaredLength <= chunk.length() - position) { // whole in this read: nothing is kept across reads
      int end = position + declaredLength;
      bufferedBytesSeen.accept(declaredLength);
      emit(chunk.getBuffer(position, end));
      return end;
    }
    body = Buffer.buffer(Math.min(declaredLength, INITIAL_BODY_CAPACITY));
    return position;
  }

  private int readBody(Buffer chunk, int position) {
    int take = Math.min(declaredLength - body.length(), chunk.length() - position);
    boolean completes = body.length() + take == declaredLength;
    if (!completes) { // kept until the next read: it must fit in the budget first
      if (!budget.tryReserve(take)) {
        int length = declaredLength;
        stop();
        sink.onBufferBudgetExceeded(length);
        return chunk.length();
      }
      reserved += take;
    }
    body.appendBuffer(chunk, position, take);
    bufferedBytesSeen.accept(body.length());
    if (completes) {
      Buffer frame = body;
      releaseBody();
      emit(frame);
    }
    return position + take;
  }

  private void emit(Buffer frame) {
    declaredLength = 0;
    frameStartMs = -1;
    sink.onFrame(frame);
  }

  private void releaseBody() {
    if (reserved > 0) {
      budget.release(reserved);
      reserved = 0;
    }
    body = null;
  }
}
