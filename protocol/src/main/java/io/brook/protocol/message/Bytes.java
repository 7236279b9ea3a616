package io.brook.protocol.message;

import java.nio.ByteBuffer;

/** Byte buffer helpers that never move the caller's buffer position. */
public final class Bytes {
  private Bytes() {}

  /** The remaining bytes of {@code buffer} as an array (a copy); empty for null. */
  public static byte[] toArray(ByteBuffer buffer) {
    if (buffer == null) {
      return new byte[0];
    }
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
