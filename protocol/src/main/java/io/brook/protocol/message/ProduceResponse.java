package io.brook.protocol.message;

/**
 * The answer to an acknowledged produce: the offset given to the first record of the request, the
 * broker's time of the append (whatever the topic's timestamp type) and the log start offset.
 */
public record ProduceResponse(long baseOffset, long logAppendTimeMs, long logStartOffset) {}
