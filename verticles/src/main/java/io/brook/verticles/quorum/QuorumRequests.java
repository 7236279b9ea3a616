package io.brook.verticles.quorum;

import java.util.List;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * The local messages between the broker's quorum replica ({@link QuorumVerticle}) and the rest of
 * the broker. They never leave the JVM (local codec).
 */
public final class QuorumRequests {
  private QuorumRequests() {}

  /**
   * The controller's records, to append at {@code epoch} (its controller epoch); answered with the
   * base offset once committed (on a majority of voters' disks), or failed with NOT_CONTROLLER if
   * this replica stops leading that epoch first.
   */
  public record Append(MemoryRecords records, int epoch) {}

  /**
   * Make broker {@code nodeId} a voter (it must be a caught-up observer) or stop it being one; answered,
   * once committed, with the offset of the new voter set.
   */
  public record ChangeVoters(int nodeId, boolean add, int epoch) {}

  /** Ask for the {@link io.brook.protocol.message.QuorumDescription}. */
  public record Describe() {}

  /**
   * The replica's state, published on every change: its epoch and leader (-1 if none);
   * {@code leading}: this broker leads and has committed an entry of its epoch, so its metadata is
   * complete and it may take over as controller; {@code leaseEndNanos}: until when (on
   * {@code System.nanoTime()}) no other leader can exist; {@code highWatermark}: the committed offset
   * as far as this broker knows; {@code caughtUp}: that offset came from a leader heard from in this
   * run (a broker restarted with a stale log is not caught up until then); {@code voter}: this broker
   * is one of the {@code voters} voters of the latest voter set in its log.
   */
  public record QuorumState(int epoch, int leaderId, boolean leading, long leaseEndNanos, long highWatermark,
      boolean caughtUp, boolean voter, int voters, String clusterId) {
    public static final QuorumState UNKNOWN = new QuorumState(0, -1, false, Long.MIN_VALUE, 0, false, false, 0, null);

    public boolean leaseHolds() {
      return leading && System.nanoTime() - leaseEndNanos < 0;
    }
  }

  /** Every local message type, for codec registration. */
  public static final List<Class<?>> TYPES = List.of(Append.class, ChangeVoters.class, Describe.class, QuorumState.class);
}
