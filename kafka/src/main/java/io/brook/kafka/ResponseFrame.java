package io.brook.kafka;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import io.vertx.core.Future;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.network.Send;
import org.apache.kafka.common.network.TransferableChannel;

/**
 * A response's frame (size, header, body) as Kafka's own network layer builds it ({@link
 * org.apache.kafka.common.requests.AbstractResponse#toSend}), gathered without copying: the byte parts
 * are kept as they are, and records still in a segment file (a Fetch answered by this node's log)
 * become file regions that Netty sends with {@code transferTo} (sendfile), as Kafka's broker does. A
 * megabyte fetched is then neither read into the heap nor copied on its way to the socket.
 */
final class ResponseFrame implements TransferableChannel {
  /** In order: {@link ByteBuf}s and {@link DefaultFileRegion}s. */
  private final List<Object> parts = new ArrayList<>(2);
  private CompositeByteBuf bytes;

  private ResponseFrame() {}

  static ResponseFrame of(Send send) throws IOException {
    ResponseFrame frame = new ResponseFrame();
    while (!send.completed()) {
      send.writeTo(frame);
    }
    return frame;
  }

  /**
   * {@code next}'s parts after this frame's, its bytes joined to this frame's last bytes where no file
   * region lies between them: responses that are ready together go out in one write (one syscall, and one
   * wake-up of the client) instead of one each.
   */
  ResponseFrame then(ResponseFrame next) {
    for (Object part : next.parts) {
      if (part instanceof ByteBuf buf && bytes != null && parts.get(parts.size() - 1) == bytes) {
        bytes.addComponent(true, buf);
      } else {
        parts.add(part);
        bytes = part instanceof CompositeByteBuf composite ? composite : null;
      }
    }
    return this;
  }

  /** The parts, in order: byte buffers and file regions (for tests). */
  List<Object> parts() {
    return List.copyOf(parts);
  }

  /** Writes the parts in order; the future is the last part's. */
  Future<Void> writeTo(NetSocket socket) {
    if (parts.size() == 1 && parts.get(0) instanceof ByteBuf only) {
      return socket.write(BufferInternal.buffer(only));
    }
    NetSocketInternal channel = (NetSocketInternal) socket; // passes Netty messages (file regions) through as they are
    Future<Void> last = Future.succeededFuture();
    for (Object part : parts) {
      last = channel.writeMessage(part);
    }
    return last;
  }

  @Override
  public int write(ByteBuffer src) {
    int n = src.remaining();
    if (n > 0) {
      if (bytes == null) {
        bytes = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        parts.add(bytes);
      }
      bytes.addComponent(true, Unpooled.wrappedBuffer(src.slice()));
      src.position(src.limit());
    }
    return n;
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) {
    long n = 0;
    for (int i = offset; i < offset + length; i++) {
      n += write(srcs[i]);
    }
    return n;
  }

  @Override
  public long write(ByteBuffer[] srcs) {
    return write(srcs, 0, srcs.length);
  }

  /** Records left in a segment file: sent from there by Netty, after the bytes before them. */
  @Override
  public long transferFrom(FileChannel fileChannel, long position, long count) {
    if (count > 0) {
      bytes = null;
      parts.add(new SegmentRegion(fileChannel, position, count));
    }
    return count;
  }

  @Override
  public boolean hasPendingWrites() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public void close() {}

  /** A region of a segment's file; the channel is the segment's, which closes it, not Netty after the send. */
  private static final class SegmentRegion extends DefaultFileRegion {
    SegmentRegion(FileChannel file, long position, long count) {
      super(file, position, count);
    }

    @Override
    protected void deallocate() {}
  }
}
