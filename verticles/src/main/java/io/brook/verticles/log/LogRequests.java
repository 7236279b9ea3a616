package io.brook.verticles.log;

import io.brook.storage.AppendResult;
import io.brook.storage.CleanResult;
import io.brook.storage.OffsetMap;
import org.apache.kafka.common.TopicPartition;
import io.brook.storage.CorruptRange;
import io.brook.storage.LogConfig;
import io.vertx.core.Deployable;
import io.brook.protocol.message.FetchResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * The local messages a partition's leader sends its {@link LogVerticle} on
 * {@code brook.local.log.<topic>.<partition>}, and their answers. They never leave the JVM (local
 * codec): batches are handed over, not copied.
 */
public final class LogRequests {
  private LogRequests() {}

  /**
   * Group commit: every producer request that queued up while the previous append ran, and the
   * leader's high watermark at the time (as {@link UpdateHighWatermark}: one message fewer per append).
   */
  public record Append(List<MemoryRecords> requests, int leaderEpoch, long highWatermark) {}

  /** One result per request, in order, and the log's offsets after the write. */
  public record Appended(List<AppendResult> results, LogOffsets offsets) {}

  /** Whole batches from {@code offset}, at most {@code maxBytes} (the first batch always), below {@code maxOffset}. */
  public record Read(long offset, int maxBytes, long maxOffset) {}

  /** The batches read, copied to the heap, and the log's offsets at the time. */
  public record ReadDone(ByteBuffer records, LogOffsets offsets) {}

  /**
   * As {@link Read}, answered with the batches left in the segment file ({@link SliceDone}), for a
   * transport that sends them from there (the segment keeps its file open for {@code
   * file.delete.delay.ms} after retention removes it).
   */
  public record ReadSlice(long offset, int maxBytes, long maxOffset) {}

  /** The batches read, as a slice of one segment file with its record count, and the log's offsets at the time. */
  public record SliceDone(FetchResponse.FileSlice slice, LogOffsets offsets) {}

  /** The first offset whose record timestamp is at least {@code timestampMs}. */
  public record OffsetForTime(long timestampMs) {}

  /** {@code offset} -1 when no record is that recent. */
  public record OffsetForTimeDone(long offset, long timestampMs) {}

  /** Where {@code leaderEpoch} ends in the log (Kafka's rules: {@code EpochEndOffsetLookup}); answered with an {@code EpochEndOffset}. */
  public record EndOffsetForEpoch(int leaderEpoch) {}

  /** Ask for the log's offsets and size. */
  public record Describe() {}

  /** Replace the log's topic config. */
  public record UpdateConfig(LogConfig config) {}

  /**
   * A log's offsets and size, the leader epoch of its last batch (-1 if none) and the last high
   * watermark its role reported (checkpointed, so it survives a restart and a change of role); sent
   * with every answer and after retention moves the start.
   */
  public record LogOffsets(long logStartOffset, long logEndOffset, long sizeInBytes, int segments,
      long recoveryPoint, int latestEpoch, long highWatermark) {}

  /**
   * The partition's role reports its high watermark (no answer) when no write carried it: a new leader
   * starts from it. Sent on flush ticks and when the role stops, not each time it moves.
   */
  public record UpdateHighWatermark(long highWatermark) {}

  /**
   * The leader's check and read for a follower fetch, in one step on the log's thread (the
   * divergence check needs the leader-epoch cache): epoch already checked by the leader; reads up to
   * {@code maxOffset}, the log end the leader's state has seen.
   */
  public record FollowerRead(int lastFetchedEpoch, long fetchOffset, int maxBytes, long maxOffset) {}

  /** {@code divergingEpoch} -1 and the records read, or the leader's end of the diverging epoch and none. */
  public record FollowerReadDone(int divergingEpoch, long divergingEndOffset, ByteBuffer records, LogOffsets offsets) {}

  /**
   * A follower appends batches as the leader stamped them, then takes the leader's log start offset
   * (capped by its own log end), as Kafka's follower does after every fetch; with the follower's high
   * watermark (as {@link Append}).
   */
  public record FollowerAppend(MemoryRecords records, long leaderLogStartOffset, long highWatermark) {}

  /** A follower with nothing to append takes the leader's log start offset (capped by its own log end). */
  public record FollowLogStart(long leaderLogStartOffset) {}

  /**
   * The leader's DeleteRecords: move the log start offset up to {@code offset} (checked against the
   * high watermark by the leader); answered with the offsets after it. Lower offsets change nothing.
   */
  public record DeleteRecords(long offset) {}

  /** A follower truncates where the leader says its log diverges (computed against its own epochs). */
  public record TruncateDiverged(int divergingEpoch, long divergingEndOffset) {}

  /** A follower truncates to an offset, or (fully) restarts its log at one. */
  public record TruncateTo(long offset, boolean fully) {}

  /**
   * The log to its partition's role (on {@code brook.local.leader.<topic>.<partition>}, no answer):
   * a read ran into corrupt bytes below the recovery point, and failed with CORRUPT_MESSAGE. A leader
   * repairs the range from another replica; other roles ignore it (the log reported it at ERROR).
   */
  public record CorruptionFound(CorruptRange range) {}

  /** Write a replica's copy of a corrupt range over the corrupt bytes ({@code PartitionLog.repair}). */
  public record Repair(CorruptRange range, MemoryRecords copy) {}

  /** {@code replaced} false: the range was not (or no longer) corrupt, nothing was written. */
  public record Repaired(boolean replaced, LogOffsets offsets) {}

  /** Replace the partition's role verticle (leader or follower), which runs as this log's child. */
  public record SwitchRole(Function<LogHandle, ? extends Deployable> role) {}

  /**
   * A compacted log to the broker's cleaner scheduler (on {@code brook.local.log-scheduler.cleaner}, no
   * answer), after a cleaner tick: it is due, with this dirty ratio.
   */
  public record CleanCandidate(TopicPartition partition, double dirtyRatio) {}

  /**
   * The cleaner scheduler to a log: run one round of compaction with this dedupe buffer, lent until the
   * answer ({@link CleanDone}); nothing at or above the log's high watermark is touched.
   */
  public record Clean(OffsetMap map, int ioBufferBytes) {}

  /** What the round did, and the log's offsets after it. */
  public record CleanDone(CleanResult result, LogOffsets offsets) {}

  /** Every local message type, for codec registration. */
  public static final List<Class<?>> TYPES = List.of(Append.class, Appended.class, Read.class, EndOffsetForEpoch.class,
      io.brook.replication.EpochEndOffset.class,
      ReadDone.class, ReadSlice.class, SliceDone.class, OffsetForTime.class, OffsetForTimeDone.class, Describe.class, UpdateConfig.class,
      LogOffsets.class, FollowerRead.class, FollowerReadDone.class, FollowerAppend.class, FollowLogStart.class,
      DeleteRecords.class,
      TruncateDiverged.class, TruncateTo.class, SwitchRole.class, UpdateHighWatermark.class,
      CorruptionFound.class, Repair.class, Repaired.class, CleanCandidate.class, Clean.class, CleanDone.class);
}
