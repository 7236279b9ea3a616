package io.brook.client.internals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.BufferExhaustedException;
import org.apache.kafka.common.errors.InterruptException;

/**
 * Bounds the bytes of batches a producer holds ({@code buffer.memory}): a batch reserves its buffer
 * when created and releases it when its records are done. Callers off Vert.x threads wait up to
 * {@code max.block.ms} for room; on a Vert.x thread (event loop or worker: the producer's own
 * context may be the one that frees the memory) they must not wait and fail at once.
 *
 * <p>Thread-safe. Invariant: {@code 0 <= available <= total}, except that {@link #forceReserve}
 * may take it below zero for work already accepted (records parked for metadata).
 */
public final class BufferMemory {
  private final long total;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition freed = lock.newCondition();
  private long available;

  public BufferMemory(long total) {
    this.total = total;
    this.available = total;
  }

  /**
   * Takes {@code bytes}, waiting up to {@code maxBlockMs} for them when {@code mayBlock}.
   *
   * @throws BufferExhaustedException when the memory did not become available in time
   */
  public void reserve(int bytes, long maxBlockMs, boolean mayBlock) {
    lock.lock();
    try {
      if (available >= bytes) {
        available -= bytes;
        return;
      }
      if (!mayBlock) {
        throw new BufferExhaustedException("Failed to allocate " + bytes + " bytes: buffer.memory (" + total
            + " bytes) is used up and send() was called on a Vert.x thread (event loop or worker), which must"
            + " not block. Available memory: " + available + " bytes.");
      }
      long remainingNs = TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
      while (available < bytes) {
        if (remainingNs <= 0) {
          throw new BufferExhaustedException("Failed to allocate " + bytes + " bytes within the configured max"
              + " blocking time " + maxBlockMs + " ms. Total memory: " + total + " bytes. Available memory: "
              + available + " bytes.");
        }
        remainingNs = freed.awaitNanos(remainingNs);
      }
      available -= bytes;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    } finally {
      lock.unlock();
    }
  }

  /** Takes {@code bytes} even if that overdraws the budget: for records already accepted. */
  public void forceReserve(int bytes) {
    lock.lock();
    try {
      available -= bytes;
    } finally {
      lock.unlock();
    }
  }

  public void release(int bytes) {
    lock.lock();
    try {
      available += bytes;
      freed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public long available() {
    lock.lock();
    try {
      return available;
    } finally {
      lock.unlock();
    }
  }

  public long total() {
    return total;
  }
}
