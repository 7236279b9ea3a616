package io.brook.protocol.message;

/**
 * The offset found and the timestamp of its record ({@code -1} for earliest/latest). When no record
 * is at or after the requested time, {@code offset} is -1.
 */
public record ListOffsetsResponse(long offset, long timestamp) {}
