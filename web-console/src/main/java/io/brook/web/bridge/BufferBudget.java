package io.brook.web.bridge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of partly read frames that all connections of one bridge hold, bounded by
 * {@code bridge.max.buffered.bytes}: a {@link FrameReader} reserves each byte it keeps across reads
 * before keeping it, and releases them when the frame is complete or the connection closes, so the
 * sum never exceeds the bound (the buffers holding those bytes may have up to twice the capacity
 * while they grow). Atomic, although one event loop owns all of a bridge's connections today.
 */
final class BufferBudget {
  private final long maxBytes;
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong peak = new AtomicLong();

  BufferBudget(long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** No bound: for readers tested alone. */
  static BufferBudget unlimited() {
    return new BufferBudget(Long.MAX_VALUE);
  }

  /** Reserves {@code bytes} if they fit under the bound; false (and nothing reserved) if not. */
  boolean tryReserve(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative: " + bytes);
    }
    while (true) {
      long now = used.get();
      if (now + bytes > maxBytes) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        peak.accumulateAndGet(now + bytes, Math::max);
        return true;
      }
    }
  }

  void release(long bytes) {
    long left = used.addAndGet(-bytes);
    if (left < 0) {
      throw new IllegalStateException("released more than was reserved: " + left);
    }
  }

  long maxBytes() {
    return maxBytes;
  }

  /** Bytes reserved now. */
  long used() {
    return used.get();
  }

  /** The most bytes ever reserved at once: at most {@link #maxBytes()}. */
  long peak() {
    return peak.get();
  }
}
