package io.brook.storage;

import io.brook.storage.internals.Cleaner;
import io.brook.storage.internals.CleanerCheckpoint;
import io.brook.storage.internals.DiskSpace;
import io.brook.storage.internals.LeaderEpochCache;
import io.brook.storage.internals.LocalLog;
import io.brook.storage.internals.LogFiles;
import io.brook.storage.internals.LogLoader;
import io.brook.storage.internals.LogSegment;
import io.brook.storage.internals.PartitionCheckpoint;
import io.brook.storage.internals.PendingAppend;
import io.brook.storage.internals.ProducerStates;
import io.brook.storage.internals.RecordsValidator;
import io.brook.storage.internals.RetentionPolicy;
import io.brook.storage.internals.SegmentConfig;
import io.brook.storage.internals.SegmentFileFactory;
import io.brook.storage.internals.SegmentRollbackFailedException;
import io.brook.storage.internals.CorruptUnit;
import io.brook.storage.internals.CorruptUnitException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.FileRecords.TimestampAndOffset;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * The log of one partition replica in one directory: an ordered list of segments, the last of
 * which ("active") takes appends. Modelled on Kafka's {@code UnifiedLog}: this class holds the
 * policy (validation, offsets, flush, retention, checkpoints, leader epochs) and an internal
 * {@code LocalLog} does the segment file work.
 *
 * <p>On disk (Kafka's layout, see {@link LogFiles}): {@code <20-digit base offset>.log} files of
 * record batch v2, each with a sparse {@code .index} (offset to file position) and
 * {@code .timeindex} (timestamp to offset); {@code offsets.checkpoint} (log start offset and
 * recovery point), {@code leader-epoch-checkpoint}, and {@code .brook_cleanshutdown} after a clean
 * close.
 *
 * <p>Invariants: the batch chain is contiguous from the batch holding {@link #logStartOffset()} (a
 * DeleteRecords may put the start inside a batch) to {@link #logEndOffset()} (after compaction a batch may hold fewer records than offsets, or none); every batch on disk was validated (CRC32C, framing, counts) before it
 * was written, again on recovery if it lies after the recovery point, and otherwise the first time
 * a read serves it in this process; all offsets below {@link #recoveryPoint()} are fsynced, and
 * once the owner calls {@link #flushRolledSegments()} after a roll the recovery point is at least
 * the active segment's base offset; the active segment is never deleted by retention; recovery
 * never cuts or deletes anything below the recovery point.
 *
 * <p>Corruption below the recovery point (a flipped byte in an older segment) is found when a read
 * first serves those bytes: the read fails with {@link CorruptBatchException} (Kafka's
 * CORRUPT_MESSAGE) naming the offsets, logged once at ERROR; reads of every other offset work,
 * later segments stay, and appends continue at the log end. {@link #repair} writes another
 * replica's copy of the same offsets over the corrupt bytes.
 *
 * <p>Errors are Kafka's exceptions so the broker can map them with {@code Errors.forException}:
 * invalid input fails only its own request, an I/O error during an append fails that append with
 * {@link KafkaStorageException} and leaves the log as it was before; if the log cannot be brought
 * back to a consistent state (an fsync or a rollback failed) it goes offline and every later call
 * throws {@link KafkaStorageException} until it is reopened, which recovers it. A full disk takes
 * it offline only in a truncation (whose checkpoint must not lag): retention can still free space
 * (deleting before it checkpoints), and a checkpoint that may safely lag is left stale and retried
 * ({@link #isCheckpointStale()}).
 *
 * <p><b>Not thread-safe.</b> Exactly one owner thread at a time may call it (the broker calls it
 * from one ordered worker context per partition). Read results ({@link ReadResult}) may be sent
 * from another thread.
 */
public final class PartitionLog implements Closeable {

    private static final System.Logger LOG = System.getLogger(PartitionLog.class.getName());

    private final Path dir;
    private final Time time;
    private final LocalLog localLog;
    private final LeaderEpochCache epochCache;
    private LogConfig config;
    private long logStartOffset;
    private long recoveryPoint;
    /** When the oldest append not yet fsynced happened, -1 when everything is flushed. */
    private long oldestUnflushedAppendMs;
    /**
     * {@code offsets.checkpoint} lags the fields above because the disk was full when it was due.
     * Only ever set where the lag is safe (see {@link #checkpointOrMarkStale()}); every flush and
     * retention run tries again.
     */
    private boolean checkpointStale;
    private KafkaStorageException offlineCause;
    private boolean closed;
    private final SegmentFileFactory files;
    /** Where the cleaner's next round starts mapping keys ({@code cleaner-offset-checkpoint}). */
    private long firstDirtyOffset;
    /** The earliest delete horizon the last clean stamped on a kept tombstone's batch; MAX when none is known. */
    private long earliestDeleteHorizonMs = Long.MAX_VALUE;
    private LocalLog.SwapListener swapListener = LocalLog.SwapListener.NONE;
    /** Idempotent producers, rebuilt from the batches at open and after a truncation. */
    private final ProducerStates producers = new ProducerStates();
    /** {@code producer.id.expiration.ms}: a broker setting, not a topic config (as in Kafka). */
    private final long producerIdExpirationMs;

    /** Kafka's default {@code producer.id.expiration.ms}: one day. */
    public static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000L;

    private PartitionLog(Path dir, LogConfig config, Time time, LocalLog localLog, long logStartOffset,
                         long recoveryPoint, LeaderEpochCache epochCache, boolean checkpointStale,
                         SegmentFileFactory files, long firstDirtyOffset, long producerIdExpirationMs) {
        this.dir = dir;
        this.producerIdExpirationMs = producerIdExpirationMs;
        this.config = config;
        this.time = time;
        this.localLog = localLog;
        this.logStartOffset = logStartOffset;
        this.recoveryPoint = recoveryPoint;
        this.epochCache = epochCache;
        this.checkpointStale = checkpointStale;
        this.files = files;
        this.firstDirtyOffset = firstDirtyOffset;
        this.oldestUnflushedAppendMs = recoveryPoint < localLog.logEndOffset() ? time.milliseconds() : -1L;
        loadProducers();
    }

    /**
     * The producers from the newest snapshot at or below the log end (a clean close or a roll wrote it)
     * and the batches after it; from every batch header when there is none. Expired producers are
     * left out (Kafka's {@code loadFromSnapshot} skips them; the batches replayed after it may bring
     * a producer back with a newer timestamp, so the check runs again after them).
     */
    private void loadProducers() {
        producers.clear();
        long end = localLog.logEndOffset();
        for (long offset : producerSnapshotOffsets().descendingSet()) {
            try {
                if (offset <= end && producers.load(java.nio.file.Files.readAllBytes(producerSnapshot(offset)), offset)) {
                    producers.removeExpired(time.milliseconds(), producerIdExpirationMs);
                    localLog.forEachBatchFrom(offset, producers::apply);
                    producers.removeExpired(time.milliseconds(), producerIdExpirationMs);
                    return;
                }
            } catch (IOException unreadable) {
                // an older one, or the batches
            }
            producers.clear();
        }
        localLog.forEachBatch(producers::apply);
        producers.removeExpired(time.milliseconds(), producerIdExpirationMs);
    }

    /**
     * Forgets the producers whose newest batch's timestamp is {@code producer.id.expiration.ms} old
     * or older ({@code now - lastTimestamp >= expiration}, Kafka's {@code removeExpiredProducers}).
     * Called periodically by the owner ({@code producer.id.expiration.check.interval.ms}); memory
     * only, no I/O. A producer forgotten here is unknown to the log: its next batch is accepted at
     * any sequence, as Kafka does, so a retry of a batch written before the expiry is written again.
     *
     * @return how many producers were removed
     */
    public int removeExpiredProducers() {
        ensureUsable();
        return producers.removeExpired(time.milliseconds(), producerIdExpirationMs);
    }

    /** The state of one idempotent producer, if the log knows it. */
    public Optional<ProducerStates.ProducerState> producerState(long producerId) {
        return producers.producer(producerId);
    }

    private Path producerSnapshot(long offset) {
        return dir.resolve(LogFiles.filenamePrefix(offset) + ProducerStates.SNAPSHOT_SUFFIX);
    }

    private java.util.TreeSet<Long> producerSnapshotOffsets() {
        java.util.TreeSet<Long> offsets = new java.util.TreeSet<>();
        try (java.nio.file.DirectoryStream<Path> files = java.nio.file.Files.newDirectoryStream(dir,
                "*" + ProducerStates.SNAPSHOT_SUFFIX)) {
            files.forEach(file -> LogFiles.baseOffset(file, ProducerStates.SNAPSHOT_SUFFIX).ifPresent(offsets::add));
        } catch (IOException e) {
            LOG.log(WARNING, "{0}: cannot list producer snapshots ({1})", dir, e.toString());
        }
        return offsets;
    }

    /** Removes the snapshots above {@code offset} (before a truncation: they would describe batches it removes). */
    private void deleteProducerSnapshotsAbove(long offset) throws IOException {
        for (long snapshot : producerSnapshotOffsets().tailSet(offset, false)) {
            java.nio.file.Files.deleteIfExists(producerSnapshot(snapshot));
        }
    }

    /**
     * Opens the log in {@code dir} (created if missing): loads its segments and, after an unclean
     * shutdown, recovers everything after the recovery point.
     */
    public static PartitionLog open(Path dir, LogConfig config, Time time) throws IOException {
        return open(dir, config, time, DEFAULT_PRODUCER_ID_EXPIRATION_MS);
    }

    /**
     * As {@link #open(Path, LogConfig, Time)}, with the broker's {@code producer.id.expiration.ms}: producers
     * idle that long are not loaded, and {@link #removeExpiredProducers()} forgets them later.
     */
    public static PartitionLog open(Path dir, LogConfig config, Time time, long producerIdExpirationMs)
        throws IOException {
        return open(dir, config, time, SegmentFileFactory.DEFAULT, producerIdExpirationMs);
    }

    /** As {@link #open(Path, LogConfig, Time)}, with segment files opened by {@code files} (fault-injection tests). */
    static PartitionLog open(Path dir, LogConfig config, Time time, SegmentFileFactory files) throws IOException {
        return open(dir, config, time, files, DEFAULT_PRODUCER_ID_EXPIRATION_MS);
    }

    private static PartitionLog open(Path dir, LogConfig config, Time time, SegmentFileFactory files,
                                     long producerIdExpirationMs) throws IOException {
        if (producerIdExpirationMs < 1) {
            throw new IllegalArgumentException("producer.id.expiration.ms must be at least 1: " + producerIdExpirationMs);
        }
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(time, "time");
        LogLoader.LoadedLog loaded = new LogLoader(dir, config.indexIntervalBytes(), config.segmentIndexBytes(), files,
            time.milliseconds()).load();
        LeaderEpochCache epochCache = LeaderEpochCache.load(dir);
        epochCache.truncateFromEnd(loaded.logEndOffset());
        epochCache.truncateFromStart(loaded.logStartOffset());
        LocalLog localLog = new LocalLog(dir, files, loaded.segments(), loaded.logEndOffset());
        long firstDirty = CleanerCheckpoint.read(dir).orElse(loaded.logStartOffset());
        if (firstDirty < loaded.logStartOffset() || firstDirty > loaded.logEndOffset()) {
            firstDirty = loaded.logStartOffset(); // as Kafka: an invalid checkpoint means clean everything again
        }
        return new PartitionLog(dir, config, time, localLog, loaded.logStartOffset(), loaded.recoveryPoint(), epochCache,
            loaded.checkpointStale(), files, firstDirty, producerIdExpirationMs);
    }

    private SegmentConfig segmentConfig() {
        return new SegmentConfig(config.segmentBytes(), config.segmentMs(), config.indexIntervalBytes(),
            config.segmentIndexBytes(), config.fileDeleteDelayMs());
    }

    // ---------------------------------------------------------------- append

    /**
     * Appends producer requests as the leader, as one group commit. Each request is validated on its
     * own; an invalid one gets a failed {@link AppendResult} and does not affect the others. The
     * valid ones get consecutive offsets (stamped into their batch headers together with
     * {@code leaderEpoch} and, under {@code LogAppendTime}, the append time) and are written with
     * one write per segment touched, rolling first when needed. If {@code flush.messages} is then
     * reached, one flush makes them durable before this returns.
     *
     * @return one result per request, in order
     */
    public List<AppendResult> appendAsLeader(List<MemoryRecords> requests, int leaderEpoch) {
        ensureUsable();
        long nowMs = time.milliseconds();
        AppendResult[] results = new AppendResult[requests.size()];
        List<PendingAppend> pending = new ArrayList<>();
        long nextOffset = localLog.logEndOffset();
        TimestampType timestampType = config.timestampType();
        ProducerStates.Changes producerChanges = new ProducerStates.Changes();
        for (int i = 0; i < requests.size(); i++) {
            try {
                RecordsValidator.ValidRequest request = validateForLeader(requests.get(i));
                RecordBatch idempotent = request.idempotentBatch();
                if (idempotent != null) {
                    Optional<ProducerStates.BatchMetadata> duplicate = producers.checkForLeader(idempotent);
                    if (duplicate.isPresent()) { // sent again: answered with where it was written, not written twice
                        results[i] = AppendResult.success(duplicate.get().firstOffset(), duplicate.get().lastOffset(),
                            RecordBatch.NO_TIMESTAMP, logStartOffset, request.recordCount());
                        continue;
                    }
                }
                PendingAppend append = PendingAppend.stampForLeader(i, request, nextOffset, leaderEpoch, timestampType, nowMs);
                if (idempotent != null) {
                    producers.applyForLeader(idempotent, producerChanges); // the next request of this producer follows it
                }
                pending.add(append);
                nextOffset = append.lastOffset() + 1;
            } catch (ApiException e) {
                results[i] = AppendResult.failure(e, logStartOffset);
            }
        }
        List<PendingAppend> written = write(pending, nowMs, results);
        if (written.size() < pending.size()) {
            producers.rollBack(producerChanges); // only what reached the log counts
            for (PendingAppend append : written) {
                append.records().batches().forEach(producers::apply);
            }
        }
        if (!written.isEmpty()) {
            epochCache.assign(leaderEpoch, written.get(0).firstOffset());
        }
        flushIfManyUnflushed(written, results);
        long logAppendTimeMs = timestampType == TimestampType.LOG_APPEND_TIME ? nowMs : RecordBatch.NO_TIMESTAMP;
        for (PendingAppend append : written) {
            if (results[append.requestIndex()] == null) {
                results[append.requestIndex()] = AppendResult.success(append.firstOffset(), append.lastOffset(),
                    logAppendTimeMs, logStartOffset, append.recordCount());
            }
        }
        return Arrays.asList(results);
    }

    /** Appends one producer request as the leader; see {@link #appendAsLeader(List, int)}. */
    public AppendResult appendAsLeader(MemoryRecords records, int leaderEpoch) {
        return appendAsLeader(List.of(records), leaderEpoch).get(0);
    }

    private RecordsValidator.ValidRequest validateForLeader(MemoryRecords records) {
        try {
            return RecordsValidator.validateForLeader(records, config.maxMessageBytes(), config.segmentBytes(),
                config.compact());
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            // hostile bytes must fail their own request, never the group
            throw new CorruptRecordException("Malformed request: " + e, e);
        }
    }

    /**
     * Appends batches replicated from the leader; they keep their offsets and leader epochs, and
     * must continue the log exactly at {@link #logEndOffset()}.
     *
     * @throws CorruptRecordException        for bytes that do not frame or fail their CRC
     * @throws org.apache.kafka.common.InvalidRecordException when offsets do not continue the log
     * @throws KafkaStorageException         when the write failed (the log is unchanged)
     */
    public void appendAsFollower(MemoryRecords records) {
        ensureUsable();
        RecordsValidator.ValidRequest request = RecordsValidator.validateForFollower(records, localLog.logEndOffset(),
            config.segmentBytes());
        AppendResult[] results = new AppendResult[1];
        List<PendingAppend> written = write(List.of(PendingAppend.asReplicated(request)), time.milliseconds(), results);
        if (results[0] == null) {
            for (MutableRecordBatch batch : request.batches()) {
                epochCache.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
                producers.apply(batch);
            }
            flushIfManyUnflushed(written, results);
        }
        if (results[0] != null) {
            throw (KafkaStorageException) results[0].error();
        }
    }

    /**
     * Writes the pending appends, one write per segment. On an I/O error the failing run and
     * everything after it fail with {@link KafkaStorageException}; the log keeps what was written.
     *
     * @return the appends that were written
     */
    private List<PendingAppend> write(List<PendingAppend> pending, long nowMs, AppendResult[] results) {
        SegmentConfig segmentConfig = segmentConfig();
        int next = 0;
        while (next < pending.size()) {
            try {
                next = localLog.appendRun(pending, next, nowMs, segmentConfig);
                if (oldestUnflushedAppendMs < 0) {
                    oldestUnflushedAppendMs = nowMs;
                }
            } catch (IOException e) {
                KafkaStorageException failure = e instanceof SegmentRollbackFailedException
                    ? goOffline("An append failed and could not be rolled back", e)
                    : new KafkaStorageException("Append to " + dir + " failed; the log is unchanged: " + e, e);
                // one line, not a stack trace: a full disk fails every append until space is back
                LOG.log(WARNING, "Append of {0} request(s) to {1} failed: {2}", pending.size() - next, dir, e.toString());
                for (PendingAppend failed : pending.subList(next, pending.size())) {
                    results[failed.requestIndex()] = AppendResult.failure(failure, logStartOffset);
                }
                return pending.subList(0, next);
            }
        }
        return pending;
    }

    /** One flush when {@code flush.messages} is reached; if it fails the written appends fail too. */
    private void flushIfManyUnflushed(List<PendingAppend> written, AppendResult[] results) {
        if (written.isEmpty() || unflushedMessages() < config.flushMessages()) {
            return;
        }
        try {
            flush();
        } catch (KafkaStorageException e) {
            for (PendingAppend append : written) {
                results[append.requestIndex()] = AppendResult.failure(e, logStartOffset);
            }
        }
    }

    // ---------------------------------------------------------------- read

    /**
     * Reads whole batches from {@code startOffset}: the batch holding it and the ones after, up to
     * {@code maxBytes}, stopping before the first batch whose last offset is
     * {@code >= maxOffsetExclusive} (the high watermark). With {@code minOneBatch}, a first batch
     * larger than {@code maxBytes} is returned anyway. A read never crosses a segment boundary.
     *
     * <p>Batches read for the first time in this process are checked first (CRC32C, offsets): the
     * result ends before the first one that fails, and a read that starts in corrupt bytes throws.
     *
     * @throws OffsetOutOfRangeException if {@code startOffset} is outside [log start, log end]
     * @throws CorruptBatchException     if {@code startOffset} lies in corrupt bytes
     * @throws IllegalArgumentException  if {@code maxBytes < 0}
     */
    public ReadResult read(long startOffset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) {
        ensureUsable();
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        long logEndOffset = localLog.logEndOffset();
        if (startOffset < logStartOffset || startOffset > logEndOffset) {
            throw new OffsetOutOfRangeException("Offset " + startOffset + " is out of range for the log in " + dir
                + ": it holds offsets [" + logStartOffset + ", " + logEndOffset + ")");
        }
        try {
            FileRecords slice = localLog.read(startOffset, maxBytes, maxOffsetExclusive, minOneBatch);
            return new ReadResult(slice, logStartOffset, logEndOffset);
        } catch (CorruptUnitException e) {
            throw corruptBatch(e.unit());
        } catch (IOException e) {
            throw new KafkaStorageException("Read at offset " + startOffset + " from " + dir + " failed", e);
        }
    }

    /**
     * The earliest record whose timestamp is {@code >= timestampMs} (through each segment's time
     * index, then a scan), or empty if every record is older. The batches scanned are checked as a
     * read checks them: a corrupt one fails the lookup with a {@link CorruptRecordException}. The special ListOffsets values -2
     * (earliest) and -1 (latest) are the caller's: {@link #logStartOffset()} and {@link #logEndOffset()}.
     */
    public Optional<TimestampAndOffset> offsetForTimestamp(long timestampMs) {
        ensureUsable();
        try {
            return localLog.offsetForTimestamp(timestampMs, logStartOffset);
        } catch (CorruptUnitException e) {
            throw corruptBatch(e.unit());
        } catch (IOException e) {
            throw new KafkaStorageException("Timestamp lookup in " + dir + " failed", e);
        }
    }

    /**
     * The end offset of {@code leaderEpoch} (the start of the next epoch, or the log end for the
     * latest epoch), for follower truncation after a leader change; empty when unknown.
     */
    public OptionalLong endOffsetForEpoch(int leaderEpoch) {
        ensureUsable();
        return epochCache.endOffsetFor(leaderEpoch, localLog.logEndOffset());
    }

    /** The leader epoch of the last append, if any. */
    public OptionalInt latestEpoch() {
        return epochCache.latestEpoch();
    }

    // ---------------------------------------------------------------- flush

    /**
     * fsyncs every segment from the recovery point to the end (and the directory if segments were
     * created), then advances the recovery point to the log end and checkpoints it atomically.
     *
     * @throws KafkaStorageException if an fsync failed; the log is then offline
     */
    public void flush() {
        ensureUsable();
        long logEndOffset = localLog.logEndOffset();
        try {
            if (recoveryPoint >= logEndOffset && !localLog.dirNeedsFsync()) {
                retryStaleCheckpoints();
                return;
            }
            localLog.flush(recoveryPoint);
            recoveryPoint = logEndOffset;
            oldestUnflushedAppendMs = -1L;
            checkpointOrMarkStale();
            persistEpochsOrLeaveDirty();
        } catch (IOException e) {
            // after a failed fsync the page cache may have dropped the dirty pages: nothing is certain
            throw goOffline("Flush failed", e);
        }
    }

    /**
     * Called by the flush scheduler: flushes when there are unflushed messages and either
     * {@code flush.messages} is reached or the oldest unflushed append is {@code flush.ms} old.
     *
     * @return whether it flushed
     */
    public boolean maybeFlush() {
        ensureUsable();
        try {
            retryStaleCheckpoints();
        } catch (IOException e) {
            throw goOffline("Checkpoint failed", e);
        }
        boolean rolled = flushRolledSegments();
        long unflushed = unflushedMessages();
        if (unflushed <= 0) {
            return rolled;
        }
        boolean due = unflushed >= config.flushMessages()
            || (oldestUnflushedAppendMs >= 0 && time.milliseconds() - oldestUnflushedAppendMs >= config.flushMs());
        if (due) {
            flush();
        }
        return due || rolled;
    }

    /**
     * fsyncs the segments that rolled since the recovery point (and the directory) and moves the
     * recovery point to the active segment's base offset, checkpointed: Kafka's flush on roll
     * ({@code flushUptoOffsetExclusive}). So after a crash recovery re-validates the active segment
     * only, whatever the flush settings. Appends do not call it, to keep fsync off their latency:
     * the owner calls it right after an append returns (on its own thread, before the next
     * request), and {@link #maybeFlush()} calls it too. Nothing to do (and no I/O) unless a segment
     * rolled.
     *
     * @return whether it flushed
     * @throws KafkaStorageException if an fsync failed; the log is then offline
     */
    public boolean flushRolledSegments() {
        ensureUsable();
        long activeBaseOffset = localLog.activeSegment().baseOffset();
        if (recoveryPoint >= activeBaseOffset) {
            return false;
        }
        try {
            localLog.flush(recoveryPoint, activeBaseOffset);
            recoveryPoint = activeBaseOffset;
            writeProducerSnapshot();
            if (recoveryPoint >= localLog.logEndOffset()) {
                oldestUnflushedAppendMs = -1L;
            }
            checkpointOrMarkStale();
            persistEpochsOrLeaveDirty();
            return true;
        } catch (IOException e) {
            throw goOffline("fsync of rolled segments failed", e);
        }
    }

    /** Writes {@code offsets.checkpoint}; on any failure the caller must go offline. */
    private void writeCheckpoint() throws IOException {
        new PartitionCheckpoint(logStartOffset, recoveryPoint).write(dir);
        clearStale();
    }

    /**
     * Writes {@code offsets.checkpoint}, or on a full disk leaves the old one and remembers to try
     * again. Only for callers after which a lagging file is safe: it may then hold a lower recovery
     * point (recovery re-validates more, as after Kafka's periodic recovery-point checkpoints) and
     * a lower log start offset whose segments are already gone from disk (the loader starts the log
     * at the first segment left). Never after a truncation, where the file would claim fsynced
     * offsets that no longer exist.
     *
     * @throws IOException for any failure other than a full disk
     */
    private void checkpointOrMarkStale() throws IOException {
        try {
            writeCheckpoint();
        } catch (IOException e) {
            if (!DiskSpace.isOutOfSpace(e, dir)) {
                throw e;
            }
            if (!checkpointStale) {
                LOG.log(WARNING, "{0}: the disk is full; offsets.checkpoint stays at its older (safe) values and is "
                    + "written again on the next flush or retention run: {1}", dir, e.toString());
            }
            checkpointStale = true;
        }
    }

    private void clearStale() {
        if (checkpointStale) {
            checkpointStale = false;
            LOG.log(INFO, "{0}: offsets.checkpoint is up to date again", dir);
        }
    }

    /** The leader-epoch checkpoint, if a change is unwritten; on a full disk it stays dirty and is retried. */
    private void persistEpochsOrLeaveDirty() throws IOException {
        try {
            epochCache.persistIfDirty();
        } catch (IOException e) {
            if (!DiskSpace.isOutOfSpace(e, dir)) {
                throw e;
            }
        }
    }

    /** Writes what a full disk left unwritten; cheap (no I/O) when nothing is. */
    private void retryStaleCheckpoints() throws IOException {
        if (checkpointStale) {
            checkpointOrMarkStale();
        }
        persistEpochsOrLeaveDirty();
    }

    /** Whether {@code offsets.checkpoint} lags the log because the disk was full (it is retried). */
    public boolean isCheckpointStale() {
        return checkpointStale;
    }

    // ---------------------------------------------------------------- retention and truncation

    /**
     * Deletes whole segments, oldest first and never the active one, that are past
     * {@code retention.ms} (newest record older than now minus retention) or beyond
     * {@code retention.bytes} (while the log would still hold at least that many bytes). The log
     * start offset moves to the first remaining segment and is checkpointed before any file goes;
     * the files go after {@code file.delete.delay.ms}. Also removes the files of earlier deletions
     * once that delay has passed.
     *
     * <p>On a full disk the checkpoint cannot be written until space is freed, so the order flips
     * ({@link #deleteFirstOnFullDisk}): the files go at once, then the checkpoint. On a nearly full
     * disk ({@link DiskSpace#isLow}) the checkpoint goes first as usual but the files go at once,
     * not after the delay, since open files keep their space. Every order is crash-safe; see the
     * README's "Retention on a full disk".
     *
     * @return how many segments were deleted
     */
    public int deleteOldSegments() {
        ensureUsable();
        long nowMs = time.milliseconds();
        localLog.deleteExpiredFiles(nowMs);
        try {
            retryStaleCheckpoints();
            List<LogSegment> inactive = localLog.inactiveSegments();
            int retained = !config.delete() ? 0 : RetentionPolicy.deletableSegments(inactive, localLog.sizeInBytes(),
                config.retentionMs(), config.retentionBytes(), nowMs);
            // whatever the cleanup policy, as Kafka's deleteLogStartOffsetBreachedSegments: a purge
            // (maybeIncrementLogStartOffset) left these wholly below the log start
            int count = Math.max(retained, segmentsBelowLogStart(inactive));
            if (count == 0) {
                return 0;
            }
            long firstKept = count < inactive.size() ? inactive.get(count).baseOffset()
                : localLog.activeSegment().baseOffset();
            long newStartOffset = Math.max(logStartOffset, firstKept);
            // a segment base, never the log start itself: a purge may have put that inside a batch,
            // and the recovery point must stay a batch boundary (recovery walks up to it by headers)
            long newRecoveryPoint = Math.max(recoveryPoint, firstKept);
            try {
                // first: a crash from here on must not resurrect the removed offsets
                new PartitionCheckpoint(newStartOffset, newRecoveryPoint).write(dir);
            } catch (IOException e) {
                if (!DiskSpace.isOutOfSpace(e, dir)) {
                    throw e;
                }
                return deleteFirstOnFullDisk(count, newStartOffset, newRecoveryPoint, e);
            }
            logStartOffset = newStartOffset;
            recoveryPoint = newRecoveryPoint;
            firstDirtyOffset = Math.max(firstDirtyOffset, logStartOffset);
            clearStale();
            epochCache.truncateFromStart(logStartOffset);
            if (DiskSpace.isLow(dir)) {
                // the space is needed now, not after file.delete.delay.ms (open files keep their blocks)
                LOG.log(WARNING, "{0}: the disk is nearly full; retention deletes {1} segment(s) now, without the "
                    + "file delete delay", dir, count);
                localLog.deletePendingFilesNow();
                localLog.removeOldestNow(count);
            } else {
                localLog.removeOldest(count, nowMs, segmentConfig());
            }
            return count;
        } catch (IOException e) {
            throw goOffline("Retention failed", e);
        }
    }

    /** How many of the oldest inactive segments hold only offsets below the log start (the next one starts at or before it). */
    private int segmentsBelowLogStart(List<LogSegment> inactive) {
        int count = 0;
        while (count < inactive.size()) {
            long nextBase = count + 1 < inactive.size() ? inactive.get(count + 1).baseOffset()
                : localLog.activeSegment().baseOffset();
            if (nextBase > logStartOffset) {
                break;
            }
            count++;
        }
        return count;
    }

    /**
     * Moves the log start offset up to {@code newLogStartOffset} (Kafka's
     * {@code maybeIncrementLogStartOffset}): a DeleteRecords on the leader, or a follower taking its
     * leader's log start. Offsets below it are no longer served (reads throw
     * {@link OffsetOutOfRangeException}, as for retention); it may fall inside a batch, whose earlier
     * records stay on disk unread. The new start is checkpointed before it is taken, so a restart
     * keeps it; the segments wholly below it are deleted by the next {@link #deleteOldSegments()}
     * (the broker's retention tick), not here. The recovery point does not move: it stays a batch
     * boundary.
     *
     * @return false when the log already starts at or after it (nothing changes)
     * @throws OffsetOutOfRangeException beyond the log end (the caller bounds it by its high watermark)
     * @throws KafkaStorageException when the checkpoint cannot be written (the start does not move;
     *                               on a full disk the log stays online)
     */
    public boolean maybeIncrementLogStartOffset(long newLogStartOffset) {
        ensureUsable();
        long logEndOffset = localLog.logEndOffset();
        if (newLogStartOffset > logEndOffset) {
            throw new OffsetOutOfRangeException("Cannot move the log start of " + dir.getFileName() + " to "
                + newLogStartOffset + ": the log ends at " + logEndOffset);
        }
        if (newLogStartOffset <= logStartOffset) {
            return false;
        }
        try {
            // first: once a caller hears of the new start, a restart must not bring the offsets back
            new PartitionCheckpoint(newLogStartOffset, recoveryPoint).write(dir);
        } catch (IOException e) {
            if (DiskSpace.isOutOfSpace(e, dir)) {
                throw new KafkaStorageException("The disk of " + dir + " is full: the log start stays at "
                    + logStartOffset, e);
            }
            throw goOffline("Checkpointing the log start offset " + newLogStartOffset, e);
        }
        LOG.log(INFO, "{0}: log start offset moved from {1} to {2}", dir, Long.toString(logStartOffset),
            Long.toString(newLogStartOffset));
        logStartOffset = newLogStartOffset;
        clearStale(); // the file just written holds every current value
        epochCache.truncateFromStart(logStartOffset);
        return true;
    }

    /**
     * Retention on a full disk: deletes the files of earlier removals and of the {@code count}
     * oldest segments now (oldest first, directory fsynced after each), and only then moves the
     * log start offset and writes the checkpoints into the space just freed. Nothing outside this
     * thread sees the new log start offset before the files are durably gone, and at every crash
     * point the loader rebuilds it from the segments left on disk (it raises a checkpointed start
     * offset below the first remaining segment to that segment's base offset): offsets are only
     * ever lost from the front and only those retention chose.
     */
    private int deleteFirstOnFullDisk(int count, long newStartOffset, long newRecoveryPoint, IOException full)
        throws IOException {
        LOG.log(WARNING, "{0}: the disk is full ({1}); retention deletes {2} segment(s) now, before it checkpoints "
            + "the new log start offset {3}", dir, full.toString(), count, Long.toString(newStartOffset));
        localLog.deletePendingFilesNow();
        localLog.removeOldestNow(count);
        logStartOffset = newStartOffset;
        recoveryPoint = newRecoveryPoint;
        firstDirtyOffset = Math.max(firstDirtyOffset, logStartOffset);
        checkpointOrMarkStale();
        epochCache.truncateFromStart(logStartOffset); // a failed write stays dirty and is retried on flush
        return count;
    }

    /**
     * Removes every offset {@code >= offset} (a follower diverging from its leader). The whole batch
     * holding {@code offset} goes, so the new log end may be below {@code offset}.
     */
    public void truncateTo(long offset) {
        ensureUsable();
        if (offset < 0) {
            throw new IllegalArgumentException("Cannot truncate to a negative offset: " + offset);
        }
        if (offset >= localLog.logEndOffset()) {
            return;
        }
        if (offset < logStartOffset) {
            truncateFullyAndStartAt(offset);
            return;
        }
        try {
            deleteProducerSnapshotsAbove(offset);
            localLog.truncateTo(offset, time.milliseconds(), segmentConfig());
            recoveryPoint = Math.min(recoveryPoint, localLog.logEndOffset());
            writeCheckpoint();
            lowerFirstDirtyOffset(localLog.logEndOffset());
            epochCache.truncateFromEnd(localLog.logEndOffset());
            loadProducers();
        } catch (IOException e) {
            throw goOffline("Truncation to " + offset + " failed", e);
        }
    }

    /** Deletes everything and restarts the log, empty, at {@code offset} (its new start and end). */
    public void truncateFullyAndStartAt(long offset) {
        ensureUsable();
        if (offset < 0) {
            throw new IllegalArgumentException("Cannot start a log at a negative offset: " + offset);
        }
        try {
            deleteProducerSnapshotsAbove(-1);
            localLog.truncateFullyAndStartAt(offset, time.milliseconds(), segmentConfig());
            logStartOffset = offset;
            recoveryPoint = offset;
            oldestUnflushedAppendMs = -1L;
            writeCheckpoint();
            lowerFirstDirtyOffset(offset);
            firstDirtyOffset = offset;
            epochCache.clear();
            producers.clear();
        } catch (IOException e) {
            throw goOffline("Restarting the log at " + offset + " failed", e);
        }
    }

    // ---------------------------------------------------------------- compaction

    /**
     * How much the cleaner could clean now, and whether it is due (see {@link CleanableStats}).
     * Cheap: segment sizes and timestamps, no record is read.
     *
     * @param highWatermark nothing at or above it is cleaned (a follower might not have it yet)
     */
    public CleanableStats cleanableStats(long highWatermark) {
        ensureUsable();
        if (!config.compact()) {
            return CleanableStats.none(firstDirtyOffset);
        }
        long nowMs = time.milliseconds();
        try {
            long limit = firstUncleanableOffset(highWatermark, nowMs);
            long cleanBytes = 0;
            long dirtyBytes = 0;
            boolean overdue = false;
            for (LogSegment segment : localLog.inactiveSegments()) {
                long end = localLog.segmentEnd(segment);
                if (end > limit) {
                    break;
                }
                if (end <= firstDirtyOffset) {
                    cleanBytes += segment.sizeInBytes();
                } else {
                    dirtyBytes += segment.sizeInBytes();
                    overdue |= nowMs - segment.largestTimestampMs() >= config.maxCompactionLagMs();
                }
            }
            double ratio = cleanBytes + dirtyBytes == 0 ? 0 : (double) dirtyBytes / (cleanBytes + dirtyBytes);
            boolean due = dirtyBytes > 0 && (ratio >= config.minCleanableDirtyRatio() || overdue)
                || cleanBytes > 0 && nowMs >= earliestDeleteHorizonMs;
            return new CleanableStats(firstDirtyOffset, limit, cleanBytes, dirtyBytes, due);
        } catch (IOException e) {
            throw new KafkaStorageException("Reading segment timestamps of " + dir + " failed", e);
        }
    }

    /**
     * The offset the cleaner must stay below: the active segment's base offset, the high watermark,
     * and the base offset of the first dirty segment whose newest record is younger than
     * {@code min.compaction.lag.ms} (Kafka's {@code cleanableOffsets}).
     */
    private long firstUncleanableOffset(long highWatermark, long nowMs) throws IOException {
        long limit = Math.min(localLog.activeSegment().baseOffset(), highWatermark);
        if (config.minCompactionLagMs() > 0) {
            for (LogSegment segment : localLog.inactiveSegments()) {
                if (localLog.segmentEnd(segment) > firstDirtyOffset
                    && segment.largestTimestampMs() > nowMs - config.minCompactionLagMs()) {
                    limit = Math.min(limit, segment.baseOffset());
                    break;
                }
            }
        }
        return Math.max(limit, logStartOffset);
    }

    /**
     * One round of log compaction when it is due ({@link #cleanableStats}): keeps the latest record
     * of each key in the closed segments below the high watermark, removes tombstones past their
     * delete horizon, swaps the cleaned segments in crash-safely and checkpoints where the next round
     * starts. Offsets never change; a compacted batch keeps its offsets with fewer records, and
     * removed batches leave an empty batch header (see {@code Cleaner}). Runs on the owner's thread
     * like every other call: the swap cannot race an append, a roll, retention or a truncation.
     *
     * @param map           the dedupe buffer, lent for the call
     * @param ioBufferBytes the read buffer ({@code log.cleaner.io.buffer.size}); grown for a larger batch
     * @param highWatermark nothing at or above it is touched
     * @return what was done; {@code groupsCleaned} 0 when nothing was due
     * @throws CorruptRecordException when a batch to clean is corrupt: nothing is swapped, the log stays usable
     * @throws IllegalStateException  when one segment has more keys than {@code map} holds
     * @throws KafkaStorageException  when an I/O error hit the clean; the log is then offline
     */
    public CleanResult clean(OffsetMap map, int ioBufferBytes, long highWatermark) {
        flushRolledSegments(); // the segments rewritten lie below the recovery point
        CleanableStats stats = cleanableStats(highWatermark);
        if (!stats.due()) {
            return new CleanResult(firstDirtyOffset, 0, 0, 0, 0, 0);
        }
        long nowMs = time.milliseconds();
        Cleaner.Settings settings = new Cleaner.Settings(config.segmentBytes(), config.segmentIndexBytes(),
            config.indexIntervalBytes(), config.maxMessageBytes(), config.deleteRetentionMs(), config.fileDeleteDelayMs());
        Cleaner cleaner = new Cleaner(dir, localLog, map, ioBufferBytes, files, settings, nowMs, swapListener,
            producers.lastBatchOffsets());
        Cleaner.Result result;
        try {
            result = cleaner.clean(firstDirtyOffset, stats.firstUncleanableOffset(), nowMs >= earliestDeleteHorizonMs);
        } catch (IOException e) {
            throw goOffline("Log compaction failed", e);
        }
        if (result.groupsCleaned() > 0) {
            earliestDeleteHorizonMs = result.earliestDeleteHorizonMs();
        }
        firstDirtyOffset = result.endOffset();
        try {
            CleanerCheckpoint.write(dir, firstDirtyOffset);
        } catch (IOException e) {
            // a lagging checkpoint only makes the next round map more: safe
            LOG.log(WARNING, "{0}: could not write the cleaner checkpoint: {1}", dir, e.toString());
        }
        return new CleanResult(firstDirtyOffset, result.groupsCleaned(), result.bytesRead(), result.bytesWritten(),
            result.recordsRead(), result.recordsKept());
    }

    /** Where the cleaner's next round starts mapping keys. */
    public long firstDirtyOffset() {
        return firstDirtyOffset;
    }

    /** Tests stop a swap after one of its steps, as a crash would. */
    void onSwapStep(LocalLog.SwapListener listener) {
        this.swapListener = Objects.requireNonNull(listener, "listener");
    }

    /** After a truncation: offsets at or above the new end are dirty again (they will be rewritten). */
    private void lowerFirstDirtyOffset(long logEndOffset) throws IOException {
        if (firstDirtyOffset > logEndOffset) {
            firstDirtyOffset = logEndOffset;
            CleanerCheckpoint.write(dir, firstDirtyOffset);
        }
    }

    // ---------------------------------------------------------------- corruption and repair

    /** The corrupt ranges found in this process (by reads, or by recovery below the recovery point) and not repaired, in log order. */
    public List<CorruptRange> corruptRanges() {
        ensureUsable();
        List<CorruptRange> ranges = new ArrayList<>();
        for (LocalLog.SegmentUnit found : localLog.corruptUnits()) {
            ranges.add(rangeOf(found.unit()));
        }
        return ranges;
    }

    /**
     * Writes another replica's copy of a corrupt range over the corrupt bytes, then fsyncs. Replicas
     * hold byte-identical batches (they are never re-encoded), so the copy must be intact batches
     * (CRC32C, counts) for exactly the range's offsets, contiguous, of exactly its size, each with
     * the leader epoch this log's epoch cache has for its offsets. Every later position and index
     * entry stays valid.
     *
     * @return true when replaced; false when the range is not (or no longer) known as corrupt
     * @throws CorruptRecordException or {@link InvalidRecordException} when the copy does not match
     *                               (nothing is written)
     * @throws KafkaStorageException when the write or fsync failed; the log is then offline
     */
    public boolean repair(CorruptRange range, MemoryRecords copy) {
        ensureUsable();
        LocalLog.SegmentUnit found = localLog.corruptUnitHolding(range.firstOffset());
        if (found == null || !rangeOf(found.unit()).equals(range)) {
            return false;
        }
        checkCopy(range, copy);
        try {
            found.segment().replaceCorruptUnit(found.unit(), copy.buffer());
        } catch (IOException e) {
            throw goOffline("Repair of offsets " + range + " failed", e);
        }
        LOG.log(INFO, "{0}: repaired the corrupt offsets {1} with a replica''s copy", dir, range);
        return true;
    }

    private void checkCopy(CorruptRange range, MemoryRecords copy) {
        if (copy.sizeInBytes() != range.sizeInBytes()) {
            throw new InvalidRecordException("The copy of offsets " + range + " is " + copy.sizeInBytes()
                + " bytes; the corrupt bytes it must replace are " + range.sizeInBytes());
        }
        RecordsValidator.ValidRequest valid = RecordsValidator.validateForFollower(copy, range.firstOffset(),
            Integer.MAX_VALUE);
        long lastOffset = valid.batches().get(valid.batches().size() - 1).lastOffset();
        if (lastOffset != range.lastOffset()) {
            throw new InvalidRecordException("The copy of offsets " + range + " ends at offset " + lastOffset);
        }
        for (MutableRecordBatch batch : valid.batches()) {
            OptionalInt epoch = epochCache.epochForOffset(batch.baseOffset());
            if (epoch.isPresent() && epoch.getAsInt() != batch.partitionLeaderEpoch()) {
                throw new InvalidRecordException("The copy's batch at offset " + batch.baseOffset() + " has leader epoch "
                    + batch.partitionLeaderEpoch() + " but this log's offsets there are of epoch " + epoch.getAsInt());
            }
        }
    }

    private static CorruptRange rangeOf(CorruptUnit unit) {
        return new CorruptRange(unit.firstOffset(), unit.lastOffset(), unit.sizeInBytes());
    }

    private CorruptBatchException corruptBatch(CorruptUnit unit) {
        CorruptRange range = rangeOf(unit);
        return new CorruptBatchException("Offsets [" + range.firstOffset() + ", " + range.lastOffset() + "] of the log in "
            + dir + " are corrupt on disk (" + unit.reason() + "); the other offsets are readable, and a replica's copy "
            + "can replace them", range);
    }

    // ---------------------------------------------------------------- state

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return localLog.logEndOffset();
    }

    /** Every offset below this is fsynced; recovery after a crash starts here. */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    public long unflushedMessages() {
        return localLog.logEndOffset() - recoveryPoint;
    }

    /** Bytes of all segments. */
    public long sizeInBytes() {
        return localLog.sizeInBytes();
    }

    public int numberOfSegments() {
        return localLog.numberOfSegments();
    }

    /** Base offsets of the segments, oldest first. */
    public List<Long> segmentBaseOffsets() {
        return localLog.baseOffsets();
    }

    public LogConfig config() {
        return config;
    }

    /** Applies a new topic config; segment and index sizes apply from the next new segment. */
    public void updateConfig(LogConfig newConfig) {
        this.config = Objects.requireNonNull(newConfig, "newConfig");
    }

    public Path dir() {
        return dir;
    }

    /** Whether an I/O failure took the log offline (reopen to recover). */
    public boolean isOffline() {
        return offlineCause != null;
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException("The log in " + dir + " is closed");
        }
        if (offlineCause != null) {
            throw new KafkaStorageException("The log in " + dir + " is offline after an I/O error; reopen it to recover",
                offlineCause);
        }
    }

    private KafkaStorageException goOffline(String what, IOException cause) {
        offlineCause = new KafkaStorageException(what + " in " + dir + ": " + cause, cause);
        LOG.log(ERROR, "Taking the log in " + dir + " offline: " + what, cause);
        return offlineCause;
    }

    // ---------------------------------------------------------------- close and delete

    /**
     * Flushes, writes each segment's final time index entry, trims the indexes, closes the files
     * and writes the clean-shutdown marker, so the next open skips recovery. An offline log is
     * closed without the marker, so the next open recovers it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (offlineCause != null) {
            closeHandlers();
            return;
        }
        try {
            flush();
            writeProducerSnapshot();
            localLog.close();
            closed = true;
            LogFiles.writeCleanShutdownMarker(dir);
        } catch (IOException e) {
            goOffline("Close failed", e);
            closeHandlers();
            throw new KafkaStorageException("Close of " + dir + " failed", e);
        }
    }

    /** Releases file handles without flushing or marking a clean shutdown (as a crash would leave it). */
    void closeHandlers() {
        closed = true;
        localLog.closeHandlers();
    }

    /**
     * The producers as of the log end, at a clean close and after a roll, so that an open reads only the
     * batches after the newest one; the two newest are kept. Best effort: without one an open reads more.
     */
    private void writeProducerSnapshot() {
        long end = localLog.logEndOffset();
        try {
            DurableFile.write(producerSnapshot(end), producers.snapshot(end));
            java.util.NavigableSet<Long> older = producerSnapshotOffsets().headSet(end, false);
            while (older.size() > 1) {
                java.nio.file.Files.deleteIfExists(producerSnapshot(older.pollFirst()));
            }
        } catch (IOException e) {
            LOG.log(WARNING, "{0}: producer state not saved ({1}); the next open rebuilds it from the log", dir,
                e.toString());
        }
    }

    /** Closes the log without flushing and deletes its directory (topic deletion). */
    public void closeAndDelete() {
        closeHandlers();
        delete(dir);
    }

    /** Deletes a partition directory and everything in it. */
    public static void delete(Path dir) {
        try {
            LogFiles.deleteRecursively(dir);
        } catch (IOException e) {
            throw new KafkaStorageException("Could not delete " + dir, e);
        }
    }

    @Override
    public String toString() {
        return "PartitionLog(dir=" + dir + ", logStartOffset=" + logStartOffset + ", logEndOffset="
            + localLog.logEndOffset() + ", segments=" + localLog.numberOfSegments() + ")";
    }
}
