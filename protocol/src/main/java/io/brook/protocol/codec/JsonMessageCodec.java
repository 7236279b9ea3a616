package io.brook.protocol.codec;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Codec of a control-path message record (metadata, admin): a version byte, an int32 length, then
 * the record as JSON. Local delivery passes the (immutable) record itself.
 */
final class JsonMessageCodec<T> implements MessageCodec<T, T> {
  private static final byte VERSION = 1;
  private final Class<T> type;
  private final String name;

  JsonMessageCodec(Class<T> type) {
    this.type = type;
    this.name = "brook." + type.getSimpleName();
  }

  @Override
  public void encodeToWire(Buffer buffer, T message) {
    byte[] json = BrookJson.encode(message);
    buffer.appendByte(VERSION).appendInt(json.length).appendBytes(json);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    byte version = buffer.getByte(pos);
    if (version != VERSION) {
      throw new IllegalStateException(name + ": unsupported version " + version);
    }
    int length = buffer.getInt(pos + 1);
    return BrookJson.decode(buffer.getBytes(pos + 5, pos + 5 + length), type);
  }

  @Override
  public T transform(T message) {
    return message;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
