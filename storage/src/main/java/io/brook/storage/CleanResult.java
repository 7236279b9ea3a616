package io.brook.storage;

/**
 * What one round of {@link PartitionLog#clean} did.
 *
 * @param firstDirtyOffset where the next round starts (checkpointed)
 * @param groupsCleaned    how many new segments were swapped in (0: nothing was due or cleanable)
 * @param bytesBefore      bytes of the segments rewritten
 * @param bytesAfter       bytes of the segments that replaced them
 * @param recordsRead      records in the segments rewritten
 * @param recordsKept      records kept
 */
public record CleanResult(long firstDirtyOffset, int groupsCleaned, long bytesBefore, long bytesAfter,
                          long recordsRead, long recordsKept) {
}
