package io.brook.protocol.message;

/** Where a broker's metadata log ends: its last batch's leader epoch (-1 if empty) and its end offset. */
public record MetadataLogEnd(int nodeId, int latestEpoch, long logEndOffset) {}
