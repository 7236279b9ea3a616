package io.brook.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.storage.internals.ProducerStates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code producer.id.expiration.ms} (Kafka's {@code removeExpiredProducers} on the mock clock), and the
 * cleaner keeping each producer's last batch so that the producer state survives a rebuild from the log.
 */
class ProducerStateExpiryTest extends LogFixture {
    private static final long PRODUCER = 777L;
    private static final long OTHER = 778L;
    private static final long EXPIRATION_MS = 10_000L;

    private PartitionLog open(LogConfig config) {
        try {
            return PartitionLog.open(dir, config, time, EXPIRATION_MS);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One idempotent batch stamped with the mock clock (the producer's last timestamp is its max timestamp). */
    private MemoryRecords batch(long producerId, int sequence, String... keysAndValues) {
        SimpleRecord[] records = new SimpleRecord[keysAndValues.length / 2];
        for (int i = 0; i < records.length; i++) {
            records[i] = new SimpleRecord(time.milliseconds(), keysAndValues[2 * i].getBytes(StandardCharsets.UTF_8),
                keysAndValues[2 * i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short) 0, sequence, records);
    }

    @Test
    void aProducerIdleForTheExpirationIsForgottenAtExactlyThatAgeAndThenAcceptedAsUnknown() {
        log = open(LogConfig.defaults());
        AppendResult first = LogTestSupport.appendOk(log, batch(PRODUCER, 0, "k", "a"));
        time.sleep(EXPIRATION_MS / 2);
        LogTestSupport.appendOk(log, batch(OTHER, 0, "k", "other"));
        time.sleep(EXPIRATION_MS / 2 - 1);

        assertThat(log.removeExpiredProducers()).as("one ms before its expiry").isZero();
        assertThat(log.appendAsLeader(batch(PRODUCER, 0, "k", "a"), 0).firstOffset()).as("still a duplicate")
            .isEqualTo(first.firstOffset());

        time.sleep(1); // now - lastTimestamp == producer.id.expiration.ms: expired (Kafka's >=)
        assertThat(log.removeExpiredProducers()).isEqualTo(1);
        assertThat(log.producerState(PRODUCER)).isEmpty();
        assertThat(log.producerState(OTHER)).as("active more recently").isPresent();

        // as Kafka for a producer it has no state for: any sequence is accepted (no UNKNOWN_PRODUCER_ID)
        AppendResult afterExpiry = log.appendAsLeader(batch(PRODUCER, 5, "k", "f"), 0);
        assertThat(afterExpiry.ok()).isTrue();
        assertThat(afterExpiry.firstOffset()).isEqualTo(2);
        assertThat(log.producerState(PRODUCER)).contains(new ProducerStates.ProducerState((short) 0, 5));
        assertThat(log.appendAsLeader(batch(PRODUCER, 7, "k", "g"), 0).error())
            .as("known again: sequences are checked again").isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void anExpiredProducerIsNotRestoredFromTheSnapshotButAnActiveOneIs() throws IOException {
        log = open(LogConfig.defaults());
        LogTestSupport.appendOk(log, batch(PRODUCER, 0, "k", "a"));
        time.sleep(EXPIRATION_MS - 1);
        LogTestSupport.appendOk(log, batch(OTHER, 0, "k", "b"));
        log.close();
        assertThat(LogTestSupport.filesEndingWith(dir, ProducerStates.SNAPSHOT_SUFFIX)).hasSize(1);

        time.sleep(1);
        log = open(LogConfig.defaults());

        assertThat(log.producerState(PRODUCER)).isEmpty();
        assertThat(log.producerState(OTHER)).contains(new ProducerStates.ProducerState((short) 0, 0));
        assertThat(log.appendAsLeader(batch(OTHER, 0, "k", "b"), 0).firstOffset()).isEqualTo(1);
    }

    @Test
    void anExpiredProducerIsNotRebuiltFromTheBatchesEither() throws IOException {
        log = open(LogConfig.defaults());
        LogTestSupport.appendOk(log, batch(PRODUCER, 0, "k", "a"));
        log.close();
        for (Path snapshot : LogTestSupport.filesEndingWith(dir, ProducerStates.SNAPSHOT_SUFFIX)) {
            Files.delete(snapshot);
        }
        time.sleep(EXPIRATION_MS);
        log = open(LogConfig.defaults());
        assertThat(log.producerState(PRODUCER)).isEmpty();
    }

    // ---------------------------------------------------------------- the cleaner keeps a producer's last batch

    private final LogConfig compacted = LogConfig.fromMap(Map.of(LogConfig.CLEANUP_POLICY_CONFIG, "compact",
        LogConfig.SEGMENT_BYTES_CONFIG, 300, LogConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, 0.0,
        LogConfig.FILE_DELETE_DELAY_MS_CONFIG, 0L));

    @Test
    void theCleanerKeepsTheHeaderOfEachProducersLastBatchSoAReloadFromTheLogKnowsTheProducer() throws IOException {
        log = open(compacted);
        LogTestSupport.appendOk(log, batch(PRODUCER, 0, "k", "a0"));
        AppendResult last = LogTestSupport.appendOk(log, batch(PRODUCER, 1, "k", "a1", "j", "a2"));
        // plain records shadow every record of the producer's batches, then fill segments so they are cleanable
        for (int i = 0; i < 12; i++) {
            LogTestSupport.appendOk(log, CompactionTestSupport.keyed(time.milliseconds(), i % 2 == 0 ? "k" : "j", "x" + i));
        }
        assertThat(log.numberOfSegments()).isGreaterThan(2);
        CleanResult cleaned = log.clean(new OffsetMap(64 * 1024), 1024, log.logEndOffset());
        assertThat(cleaned.groupsCleaned()).isPositive();

        List<RecordBatch> producerBatches = new ArrayList<>();
        long offset = 0;
        while (offset < log.logEndOffset()) {
            MemoryRecords read = log.read(offset, 4096, Long.MAX_VALUE, true).toMemoryRecords();
            for (RecordBatch batch : read.batches()) {
                if (batch.producerId() == PRODUCER) {
                    producerBatches.add(batch);
                }
                offset = batch.nextOffset();
            }
        }
        assertThat(producerBatches).as("only the last batch keeps its header").hasSize(1);
        RecordBatch kept = producerBatches.get(0);
        assertThat(kept.countOrNull()).as("its records are gone").isZero();
        assertThat(kept.baseOffset()).isEqualTo(last.firstOffset());
        assertThat(kept.lastOffset()).isEqualTo(last.lastOffset());
        assertThat(kept.baseSequence()).isEqualTo(1);
        assertThat(kept.lastSequence()).isEqualTo(2);

        // a rebuild from the batches alone (no snapshot), as a new replica or a lost snapshot would have it
        long end = log.logEndOffset();
        log.close();
        for (Path snapshot : LogTestSupport.filesEndingWith(dir, ProducerStates.SNAPSHOT_SUFFIX)) {
            Files.delete(snapshot);
        }
        log = open(compacted);

        assertThat(log.producerState(PRODUCER)).contains(new ProducerStates.ProducerState((short) 0, 2));
        AppendResult retry = log.appendAsLeader(batch(PRODUCER, 1, "k", "a1", "j", "a2"), 0);
        assertThat(retry.ok()).isTrue();
        assertThat(retry.firstOffset()).as("recognised as a duplicate").isEqualTo(last.firstOffset());
        assertThat(log.logEndOffset()).as("not written again").isEqualTo(end);
        assertThat(log.appendAsLeader(batch(PRODUCER, 9, "k", "gap"), 0).error())
            .isInstanceOf(OutOfOrderSequenceException.class);
    }
}
