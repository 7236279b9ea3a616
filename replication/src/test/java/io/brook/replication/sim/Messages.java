package io.brook.replication.sim;

import io.brook.replication.IsrChangeProposal;
import io.brook.replication.PartitionState;
import io.brook.replication.FollowerFetch;
import io.brook.replication.FollowerFetchResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * The messages of the simulated cluster. A request that expects a reply carries the sender's
 * {@code generation} (its process incarnation and role), and the reply echoes it: the sender drops
 * replies to another generation, as a verticle's reply handler dies with the verticle.
 */
final class Messages {

    private Messages() {
    }

    // ---- producer <-> broker, producer <-> controller
    record Produce(long requestId, short acks, MemoryRecords records, long timeoutMs) {}

    record ProduceReply(long requestId, Errors error, long baseOffset) {}

    record MetadataRequest() {}

    record MetadataReply(PartitionState state) {}

    // ---- follower <-> leader
    record Fetch(long attemptId, long generation, FollowerFetch request) {}

    record FetchReply(long attemptId, long generation, FollowerFetchResult response) {}

    // ---- broker <-> controller
    record Register(int brokerId, int incarnation) {}

    record RegisterReply(int incarnation, int brokerEpoch) {}

    record Heartbeat(int brokerId, int brokerEpoch) {}

    /** The controller's answer to a heartbeat and its push on every change: the partition as committed. */
    record MetadataUpdate(int brokerEpoch, PartitionState state) {}

    record AlterPartition(long generation, int brokerEpoch, IsrChangeProposal request) {}

    record AlterPartitionReply(long generation, IsrChangeProposal request, Errors error, PartitionState state) {}
}
