package io.brook.verticles.partition;

/**
 * How many log bytes lie after a recent offset, so a long-poll fetch knows when its
 * {@code minBytes} are there without reading the log. Remembers the byte position reached by each
 * of the last {@link #CAPACITY} appends; an offset older than that counts as having plenty.
 *
 * <p>Plain Java, owned by the partition leader's event loop.
 */
final class AppendHistory {
  static final int CAPACITY = 1024;

  private final long[] endOffsets = new long[CAPACITY];
  private final long[] endPositions = new long[CAPACITY];
  private int size;
  private int next;
  private long totalBytes;
  private long oldestKnownOffset;

  AppendHistory(long logEndOffset) {
    this.oldestKnownOffset = logEndOffset;
  }

  /** An append ended the log at {@code logEndOffset} after adding {@code bytes}. */
  void onAppend(long logEndOffset, long bytes) {
    totalBytes += bytes;
    if (size == CAPACITY) {
      oldestKnownOffset = endOffsets[next];
    } else {
      size++;
    }
    endOffsets[next] = logEndOffset;
    endPositions[next] = totalBytes;
    next = (next + 1) % CAPACITY;
  }

  /** Bytes appended at or after {@code offset}; {@link Long#MAX_VALUE} when it is too old to know. */
  long bytesFrom(long offset) {
    if (offset < oldestKnownOffset) {
      return Long.MAX_VALUE;
    }
    long positionAtOffset = 0;
    for (int i = 0; i < size; i++) {
      int slot = (next - 1 - i + CAPACITY) % CAPACITY;
      if (endOffsets[slot] <= offset) {
        positionAtOffset = endPositions[slot];
        break;
      }
    }
    return totalBytes - positionAtOffset;
  }
}
