package io.brook.storage.internals;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a request's record batches before they touch the log, so that nothing malformed is ever
 * written. Every failure is a Kafka {@link ApiException} with a message saying what is wrong and
 * where, which the broker maps to a wire error code:
 * <ul>
 *   <li>{@link CorruptRecordException}: bytes that do not frame as batches (truncated batch,
 *       impossible length) or fail their CRC32C, or records that do not parse;</li>
 *   <li>{@link InvalidRecordException}: well-formed but unacceptable (magic other than 2, record
 *       count inconsistent with the offset range, control batch from a producer, offsets not
 *       contiguous for a follower);</li>
 *   <li>{@link RecordTooLargeException}: a batch above {@code max.message.bytes};</li>
 *   <li>{@link RecordBatchTooLargeException}: a request larger than a whole segment.</li>
 * </ul>
 * Validation reads only; it never changes the bytes.
 *
 * <p>Stateless and thread-safe.
 */
public final class RecordsValidator {

    private RecordsValidator() {
    }

    /** A request that passed validation: its batches in order and its record count. */
    public record ValidRequest(MemoryRecords records, List<MutableRecordBatch> batches, int recordCount) {

        public int sizeInBytes() {
            return records.sizeInBytes();
        }

        /** The request's one batch if an idempotent producer wrote it (such a request holds one batch), else null. */
        public MutableRecordBatch idempotentBatch() {
            return batches.size() == 1 && batches.get(0).hasProducerId() ? batches.get(0) : null;
        }
    }

    /** Validates one producer request for the leader (offsets in the request are ignored). */
    public static ValidRequest validateForLeader(MemoryRecords records, int maxMessageBytes, int segmentBytes) {
        return validateForLeader(records, maxMessageBytes, segmentBytes, false);
    }

    /**
     * As {@link #validateForLeader(MemoryRecords, int, int)}; with {@code requireKeys} (a compacted
     * topic) a record without a key is refused, as Kafka does.
     */
    public static ValidRequest validateForLeader(MemoryRecords records, int maxMessageBytes, int segmentBytes,
                                                 boolean requireKeys) {
        checkFraming(records.buffer());
        checkFitsSegment(records, segmentBytes);
        List<MutableRecordBatch> batches = new ArrayList<>();
        int recordCount = 0;
        for (MutableRecordBatch batch : records.batches()) {
            int index = batches.size();
            if (batch.sizeInBytes() > maxMessageBytes) {
                throw new RecordTooLargeException("Record batch " + index + " is " + batch.sizeInBytes()
                    + " bytes, more than max.message.bytes (" + maxMessageBytes + ")");
            }
            checkBatch(batch, index, false);
            if (batch.isControlBatch()) {
                throw new InvalidRecordException("Record batch " + index + " is a control batch; producers may not "
                    + "write control records");
            }
            if (batch.isTransactional()) {
                throw new InvalidRecordException("Record batch " + index + " is transactional (producer id "
                    + batch.producerId() + "); Brook does not serve transactions: leave transactional.id unset");
            }
            if (batch.hasProducerId() && (index > 0 || records.sizeInBytes() != batch.sizeInBytes())) {
                throw new InvalidRecordException("An idempotent producer's request holds exactly one record batch, as "
                    + "Kafka requires; this one holds more (producer id " + batch.producerId() + ")");
            }
            if (batch.hasProducerId() && (batch.baseSequence() < 0 || batch.producerEpoch() < 0)) {
                throw new InvalidRecordException("Record batch " + index + " has producer id " + batch.producerId()
                    + " but sequence " + batch.baseSequence() + " and epoch " + batch.producerEpoch());
            }
            recordCount += checkRecords(batch, index, requireKeys);
            batches.add(batch);
        }
        return new ValidRequest(records, batches, recordCount);
    }

    /**
     * Validates batches copied from the leader: they keep their offsets, which must continue the
     * log exactly at {@code logEndOffset} with no gap or overlap. A batch the leader's cleaner
     * compacted holds fewer records than offsets, possibly none (its batch chain stays contiguous).
     */
    public static ValidRequest validateForFollower(MemoryRecords records, long logEndOffset, int segmentBytes) {
        checkFraming(records.buffer());
        checkFitsSegment(records, segmentBytes);
        List<MutableRecordBatch> batches = new ArrayList<>();
        int recordCount = 0;
        long expectedOffset = logEndOffset;
        for (MutableRecordBatch batch : records.batches()) {
            int index = batches.size();
            checkBatch(batch, index, true);
            if (batch.baseOffset() != expectedOffset) {
                throw new InvalidRecordException("Record batch " + index + " starts at offset " + batch.baseOffset()
                    + " but the log continues at " + expectedOffset + "; replicated batches must be contiguous");
            }
            expectedOffset = batch.lastOffset() + 1;
            recordCount += batch.countOrNull();
            batches.add(batch);
        }
        return new ValidRequest(records, batches, recordCount);
    }

    /** Walks the raw bytes: every batch whole, with a v2 magic and a plausible length. */
    private static void checkFraming(ByteBuffer buffer) {
        int position = buffer.position();
        int end = buffer.limit();
        if (position == end) {
            throw new InvalidRecordException("The request holds no record batches");
        }
        for (int index = 0; position < end; index++) {
            int remaining = end - position;
            if (remaining < Records.HEADER_SIZE_UP_TO_MAGIC) {
                throw new CorruptRecordException("Truncated record batch " + index + " at byte " + position + ": only "
                    + remaining + " bytes remain");
            }
            byte magic = buffer.get(position + Records.MAGIC_OFFSET);
            if (magic != RecordBatch.MAGIC_VALUE_V2) {
                throw new InvalidRecordException("Record batch " + index + " has magic " + magic
                    + "; only magic 2 (record batch v2) is supported");
            }
            int length = buffer.getInt(position + Records.SIZE_OFFSET);
            int minLength = DefaultRecordBatch.RECORD_BATCH_OVERHEAD - Records.LOG_OVERHEAD;
            if (length < minLength) {
                throw new CorruptRecordException("Record batch " + index + " declares length " + length
                    + ", less than the v2 minimum of " + minLength);
            }
            if ((long) length + Records.LOG_OVERHEAD > remaining) {
                throw new CorruptRecordException("Truncated record batch " + index + " at byte " + position
                    + ": it declares " + (length + Records.LOG_OVERHEAD) + " bytes but only " + remaining + " remain");
            }
            position += length + Records.LOG_OVERHEAD;
        }
    }

    private static void checkFitsSegment(MemoryRecords records, int segmentBytes) {
        if (records.sizeInBytes() > segmentBytes) {
            throw new RecordBatchTooLargeException("The request is " + records.sizeInBytes()
                + " bytes, more than a whole segment (segment.bytes " + segmentBytes + ")");
        }
    }

    /**
     * CRC and the header's record count against its offset range: equal for a producer's batch; at
     * most the range, and possibly zero, for a batch the leader's cleaner compacted ({@code compacted}).
     */
    private static void checkBatch(MutableRecordBatch batch, int index, boolean compacted) {
        try {
            batch.ensureValid();
        } catch (CorruptRecordException e) {
            throw new CorruptRecordException("Record batch " + index + " is corrupt: " + e.getMessage());
        }
        long offsetRange = batch.lastOffset() - batch.baseOffset() + 1;
        Integer count = batch.countOrNull();
        if (offsetRange <= 0) {
            throw new InvalidRecordException("Record batch " + index + " has an invalid offset range (lastOffsetDelta "
                + (offsetRange - 1) + ")");
        }
        if (count == null || count < (compacted ? 0 : 1)) {
            throw new InvalidRecordException("Record batch " + index + " declares " + count + " records");
        }
        if (compacted ? count > offsetRange : count != offsetRange) {
            throw new InvalidRecordException("Record batch " + index + " declares " + count
                + " records but its offset range holds " + offsetRange);
        }
    }

    /**
     * Parses every record (decompressing when needed, skipping keys and values) so a malformed
     * record is refused here instead of failing a consumer later. Returns the record count.
     */
    private static int checkRecords(MutableRecordBatch batch, int index, boolean requireKeys) {
        int seen = 0;
        try (CloseableIterator<Record> records = batch.skipKeyValueIterator(BufferSupplier.NO_CACHING)) {
            while (records.hasNext()) {
                Record record = records.next();
                if (record.offset() != batch.baseOffset() + seen) {
                    throw new InvalidRecordException("Record " + seen + " of batch " + index + " has offset delta "
                        + (record.offset() - batch.baseOffset()) + ", expected " + seen);
                }
                if (requireKeys && !record.hasKey()) {
                    throw new InvalidRecordException("Record " + seen + " of batch " + index + " has no key; a "
                        + "compacted topic (cleanup.policy compact) cannot accept a record without a key");
                }
                seen++;
            }
        } catch (ApiException e) {
            throw withBatch(e, index);
        } catch (KafkaException | IllegalArgumentException | IllegalStateException
                 | java.nio.BufferUnderflowException e) {
            throw new CorruptRecordException("Record batch " + index + " holds a malformed record: " + e, e);
        }
        if (seen != batch.countOrNull()) {
            throw new InvalidRecordException("Record batch " + index + " declares " + batch.countOrNull()
                + " records but holds " + seen);
        }
        return seen;
    }

    private static ApiException withBatch(ApiException e, int index) {
        String message = "Record batch " + index + ": " + e.getMessage();
        if (e instanceof CorruptRecordException) {
            return new CorruptRecordException(message, e);
        }
        if (e instanceof InvalidRecordException) {
            return new InvalidRecordException(message, e);
        }
        return e;
    }
}
