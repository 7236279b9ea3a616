package io.brook.protocol.message;

import java.util.List;

/** The group's committed offsets for {@code partitions}, or for every partition it has one (null). */
public record OffsetFetchRequest(String groupId, @Nullable List<TopicPartitionRef> partitions) {}
