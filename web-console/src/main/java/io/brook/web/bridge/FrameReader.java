package io.brook.web.bridge;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.function.IntConsumer;

/**
 * Cuts a TCP byte stream into bridge frames: a 4-byte big-endian length, then that many bytes of
 * JSON. The length is checked against {@code maxFrameBytes} before a byte of the frame is kept, and
 * a frame's buffer grows only with the bytes that actually arrived (a declared length reserves
 * nothing), so one connection holds at most {@code maxFrameBytes} plus one read. A bad length stops
 * the reader for good: after it the stream cannot be re-synchronised. Owned by the socket's event loop.
 */
final class FrameReader implements Handler<Buffer> {
  /** What the reader found. */
  interface Sink {
    void onFrame(Buffer json);

    /** A negative length or one above the limit; the reader ignores everything after it. */
    void onBadLength(int length);
  }

  private static final int INITIAL_BODY_CAPACITY = 4096;

  private final int maxFrameBytes;
  private final Sink sink;
  private final IntConsumer bufferedBytesSeen;
  private int headerBytes;
  private int declaredLength;
  private Buffer body; // null while reading a header
  private boolean stopped;

  FrameReader(int maxFrameBytes, Sink sink) {
    this(maxFrameBytes, sink, bytes -> {});
  }

  /** {@code bufferedBytesSeen} hears how much a frame holds each time it grows (for a high-water mark). */
  FrameReader(int maxFrameBytes, Sink sink, IntConsumer bufferedBytesSeen) {
    this.maxFrameBytes = maxFrameBytes;
    this.sink = sink;
    this.bufferedBytesSeen = bufferedBytesSeen;
  }

  /** Ignores every byte from now on (the connection is closing). */
  void stop() {
    stopped = true;
    body = null;
  }

  /** Bytes held for the frame being read. */
  int bufferedBytes() {
    return body == null ? 0 : body.length();
  }

  @Override
  public void handle(Buffer chunk) {
    int position = 0;
    while (!stopped && position < chunk.length()) {
      if (body == null) {
        position = readHeader(chunk, position); // may also stop the reader, or emit an empty frame
        continue;
      }
      int take = Math.min(declaredLength - body.length(), chunk.length() - position);
      body.appendBuffer(chunk, position, take);
      position += take;
      bufferedBytesSeen.accept(body.length());
      maybeEmit();
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
    body = Buffer.buffer(Math.min(declaredLength, INITIAL_BODY_CAPACITY));
    maybeEmit(); // a zero-length frame is complete at once
    return position;
  }

  private void maybeEmit() {
    if (body != null && body.length() == declaredLength) {
      Buffer frame = body;
      body = null;
      declaredLength = 0;
      sink.onFrame(frame);
    }
  }
}
