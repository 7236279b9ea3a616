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
  private final byte oldestReadable;

  BinaryCodec(Class<T> type, int version) {
    this(type, version, version);
  }

  /** A codec that writes {@code version} and still reads every version from {@code oldestReadable} on (rolling upgrades). */
  BinaryCodec(Class<T> type, int version, int oldestReadable) {
    this.name = "brook." + type.getSimpleName();
    this.version = (byte) version;
    this.oldestReadable = (byte) oldestReadable;
  }

  abstract void write(WireWriter out, T message);

  abstract T read(WireReader in);

  /** Reads a message written as {@code found} (between the oldest readable version and the current one). */
  T read(WireReader in, byte found) {
    return read(in);
  }

  @Override
  public final void encodeToWire(Buffer buffer, T message) {
    WireWriter out = new WireWriter(buffer).writeByte(version);
    write(out, message);
  }

  @Override
  public final T decodeFromWire(int pos, Buffer buffer) {
    WireReader in = new WireReader(buffer, pos);
    byte found = in.readByte();
    if (found < oldestReadable || found > version) {
      throw new IllegalStateException(name + ": unsupported version " + found + ", expected " + version);
    }
    return read(in, found);
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
