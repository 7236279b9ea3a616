package io.brook.protocol.message;

import java.util.List;

/**
 * Committed offsets: {@code offset} -1 (and {@code leaderEpoch} -1, {@code metadata} "") where there
 * is none. {@code error} for the whole request (e.g. {@code NOT_COORDINATOR}).
 */
public record OffsetFetchResponse(String error, List<Offset> offsets) {

  public record Offset(String topic, int partition, long offset, int leaderEpoch, String metadata) {}
}
