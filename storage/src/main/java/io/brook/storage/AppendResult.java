package io.brook.storage;

import org.apache.kafka.common.record.internal.RecordBatch;

import java.util.Objects;

/**
 * The outcome of one producer request (one element of a group commit): the offsets it was given,
 * or the error that rejected it. A failed request wrote nothing.
 *
 * @param firstOffset     offset of the request's first record, -1 on failure
 * @param lastOffset      offset of the request's last record, -1 on failure
 * @param logAppendTimeMs the broker time stamped into the batches under {@code LogAppendTime},
 *                        otherwise -1 ({@link RecordBatch#NO_TIMESTAMP}) as in Kafka's produce response
 * @param logStartOffset  the log start offset after the append
 * @param recordCount     records appended, 0 on failure
 * @param error           null on success; otherwise a Kafka {@code ApiException} (for example
 *                        {@code CorruptRecordException}, {@code RecordTooLargeException},
 *                        {@code InvalidRecordException}, {@code KafkaStorageException}) that
 *                        {@code Errors.forException} maps to a wire error code
 */
public record AppendResult(long firstOffset, long lastOffset, long logAppendTimeMs, long logStartOffset,
                           int recordCount, RuntimeException error) {

    /** True when the request was appended. */
    public boolean ok() {
        return error == null;
    }

    public static AppendResult success(long firstOffset, long lastOffset, long logAppendTimeMs,
                                       long logStartOffset, int recordCount) {
        return new AppendResult(firstOffset, lastOffset, logAppendTimeMs, logStartOffset, recordCount, null);
    }

    public static AppendResult failure(RuntimeException error, long logStartOffset) {
        Objects.requireNonNull(error, "error");
        return new AppendResult(-1L, -1L, RecordBatch.NO_TIMESTAMP, logStartOffset, 0, error);
    }
}
