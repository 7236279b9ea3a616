package io.brook.protocol.codec;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Appends the fields of a binary message body: strings as int16 length + UTF-8, bytes as int32 length + bytes. */
final class WireWriter {
  private final Buffer buffer;

  WireWriter(Buffer buffer) {
    this.buffer = buffer;
  }

  WireWriter writeByte(byte value) {
    buffer.appendByte(value);
    return this;
  }

  WireWriter writeShort(short value) {
    buffer.appendShort(value);
    return this;
  }

  WireWriter writeInt(int value) {
    buffer.appendInt(value);
    return this;
  }

  WireWriter writeLong(long value) {
    buffer.appendLong(value);
    return this;
  }

  WireWriter writeString(String value) {
    if (value == null) {
      return writeShort((short) -1);
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > Short.MAX_VALUE) {
      throw new IllegalArgumentException("string field longer than 32767 bytes");
    }
    buffer.appendShort((short) bytes.length).appendBytes(bytes);
    return this;
  }

  WireWriter writeBytes(ByteBuffer value) {
    ByteBuffer view = value.duplicate();
    buffer.appendInt(view.remaining());
    if (view.hasArray()) {
      buffer.appendBytes(view.array(), view.arrayOffset() + view.position(), view.remaining());
    } else {
      byte[] bytes = new byte[view.remaining()];
      view.get(bytes);
      buffer.appendBytes(bytes);
    }
    return this;
  }
}
