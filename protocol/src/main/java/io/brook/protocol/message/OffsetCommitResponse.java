package io.brook.protocol.message;

import java.util.List;

/** One result per partition asked: {@code error} null when committed. */
public record OffsetCommitResponse(List<Partition> partitions) {

  public record Partition(String topic, int partition, String error) {}
}
