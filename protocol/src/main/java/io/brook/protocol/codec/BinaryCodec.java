package io.brook.protocol.codec;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * A hand-written binary codec for a data-path message (produce, fetch): a version byte, then the
 * fields. Local delivery passes the record itself, no copy; records are immutable and byte buffers
 * are only ever read through duplicates.
 */
abstract class BinaryCodec<T> implements MessageCodec<T, T> {
  private final String name;
  private final byte version;

  BinaryCodec(Class<T> type, int version) {
    this.name = "brook." + type.getSimpleName();
    this.version = (byte) version;
  }

  abstract void write(WireWriter out, T message);

  abstract T read(WireReader in);

  @Override
  public final void encodeToWire(Buffer buffer, T message) {
    WireWriter out = new WireWriter(buffer).writeByte(version);
    write(out, message);
  }

  @Override
  public final T decodeFromWire(int pos, Buffer buffer) {
    WireReader in = new WireReader(buffer, pos);
    byte found = in.readByte();
    if (found != version) {
      throw new IllegalStateException(name + ": unsupported version " + found + ", expected " + version);
    }
    return read(in);
  }

  @Override
  public final T transform(T message) {
    return message;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }
}
