package io.brook.kafka;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Splits a connection's bytes into Kafka's frames (an int32 size, then that many bytes). The size is
 * checked before any of its frame is kept, and a frame that arrived within one read is handed on as a
 * view of that read's buffer (Vert.x gives each read its own heap copy), not copied again; only a
 * frame spread over several reads is gathered into one array. While paused it hands on nothing and
 * keeps the socket paused. Owned by the connection's event loop.
 */
final class FrameReader implements Handler<Buffer> {
  /** Where frames go. */
  interface Frames {
    /** Whether a frame of this size may be read; false stops the reader (the connection closes). */
    boolean sizeAllowed(int size);

    void frame(ByteBuffer frame);
  }

  private final ReadStream<Buffer> socket;
  private final Frames frames;
  private final ArrayDeque<ByteBuf> chunks = new ArrayDeque<>();
  private long buffered;
  /** The size of the frame being read, or -1 while its size is. */
  private int frameSize = -1;
  private boolean paused;
  private boolean stopped;
  private boolean draining;

  FrameReader(ReadStream<Buffer> socket, Frames frames) {
    this.socket = socket;
    this.frames = frames;
  }

  @Override
  public void handle(Buffer chunk) {
    if (stopped || chunk.length() == 0) {
      return;
    }
    chunks.add(((BufferInternal) chunk).getByteBuf());
    buffered += chunk.length();
    drain();
  }

  void pause() {
    paused = true;
    socket.pause();
  }

  void resume() {
    if (stopped) {
      return;
    }
    if (paused) { // called after every response: the socket is only told when it was paused
      paused = false;
      socket.resume();
    }
    drain();
  }

  private void drain() {
    if (draining) {
      return; // a frame handler resumed the reader: the loop below goes on
    }
    draining = true;
    try {
      while (!paused && !stopped) {
        if (frameSize < 0) {
          if (buffered < 4) {
            return;
          }
          int size = take(4).getInt(0);
          if (!frames.sizeAllowed(size)) {
            stopped = true;
            chunks.clear();
            return;
          }
          frameSize = size;
        }
        if (buffered < frameSize) {
          return;
        }
        ByteBuffer frame = take(frameSize);
        frameSize = -1;
        frames.frame(frame);
      }
    } finally {
      draining = false;
    }
  }

  /** The next {@code n} buffered bytes (there are that many): a view when one chunk holds them. */
  private ByteBuffer take(int n) {
    buffered -= n;
    ByteBuf first = chunks.peek();
    if (first.readableBytes() >= n) {
      ByteBuffer view = first.nioBuffer(first.readerIndex(), n);
      first.skipBytes(n);
      if (!first.isReadable()) {
        chunks.poll();
      }
      return view;
    }
    ByteBuffer gathered = ByteBuffer.allocate(n);
    while (gathered.hasRemaining()) {
      ByteBuf chunk = chunks.peek();
      int part = Math.min(chunk.readableBytes(), gathered.remaining());
      chunk.readBytes(gathered.array(), gathered.position(), part);
      gathered.position(gathered.position() + part);
      if (!chunk.isReadable()) {
        chunks.poll();
      }
    }
    return gathered.flip();
  }
}
