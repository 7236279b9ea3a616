package io.brook.protocol.message;

/**
 * Find an offset of one partition by time, sent to {@code brook.api.broker.<leader>.list-offsets}:
 * {@code timestamp} is {@link #EARLIEST} (the log start offset), {@link #LATEST} (the high
 * watermark) or a time in ms (the first offset whose timestamp is at least that time).
 */
public record ListOffsetsRequest(String topic, int partition, long timestamp) {
  public static final long EARLIEST = -2L;
  public static final long LATEST = -1L;
}
