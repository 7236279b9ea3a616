package io.brook.protocol.message;

/**
 * The largest epoch at or below the one asked for, and its end offset (the first offset of the next
 * epoch, or the log end for the latest); -1 and -1 when the log has no epoch at all.
 */
public record OffsetForLeaderEpochResponse(int leaderEpoch, long endOffset) {}
