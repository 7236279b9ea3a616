package io.brook.protocol.codec;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Reads the fields of a binary message body in order, from a position of a Vert.x buffer. */
final class WireReader {
  private final Buffer buffer;
  private int position;

  WireReader(Buffer buffer, int position) {
    this.buffer = buffer;
    this.position = position;
  }

  byte readByte() {
    return buffer.getByte(position++);
  }

  short readShort() {
    short value = buffer.getShort(position);
    position += 2;
    return value;
  }

  int readInt() {
    int value = buffer.getInt(position);
    position += 4;
    return value;
  }

  long readLong() {
    long value = buffer.getLong(position);
    position += 8;
    return value;
  }

  String readString() {
    int length = readShort();
    if (length < 0) {
      return null;
    }
    String value = buffer.getString(position, position + length, StandardCharsets.UTF_8.name());
    position += length;
    return value;
  }

  ByteBuffer readBytes() {
    int length = readInt();
    ByteBuffer value = ByteBuffer.wrap(buffer.getBytes(position, position + length));
    position += length;
    return value;
  }

  int position() {
    return position;
  }
}
