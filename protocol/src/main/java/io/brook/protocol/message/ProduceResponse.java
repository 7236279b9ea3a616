package io.brook.protocol.message;

/**
 * The answer to an acknowledged produce: the offset given to the first record of the request, the
 * broker's time of the append when the topic uses LogAppendTime (-1 for CreateTime topics, as in
 * Kafka) and the log start offset.
 */
public record ProduceResponse(long baseOffset, long logAppendTimeMs, long logStartOffset) {}
