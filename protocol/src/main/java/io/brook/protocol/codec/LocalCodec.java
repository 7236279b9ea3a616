package io.brook.protocol.codec;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * For messages that never leave a JVM (between a partition's leader and log verticles): delivery
 * hands over the object itself. Sending one to another node is a bug and fails loudly.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {
  private final String name;

  public LocalCodec(Class<T> type) {
    this.name = "brook.local." + type.getName();
  }

  @Override
  public void encodeToWire(Buffer buffer, T message) {
    throw new IllegalStateException(name + " is a local-only message and cannot cross the cluster");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new IllegalStateException(name + " is a local-only message and cannot cross the cluster");
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
