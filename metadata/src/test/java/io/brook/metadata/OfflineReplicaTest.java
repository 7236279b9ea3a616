package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * A broker that comes back on another data directory (a wrong data.dir, a replaced disk) has none of
 * its replicas' data: they neither lead nor count as in sync until they have fetched it again, and
 * coming back on the right directory heals them (Kafka's KIP-858 directory assignment).
 */
class OfflineReplicaTest {

    final ControllerHarness h = ControllerHarness.started();

    private long registerOn(int nodeId, String directoryId) {
        long epoch = h.apply(h.state.registerBroker(nodeId, "localhost", 8080 + nodeId, 7000 + nodeId,
            "node-" + nodeId, directoryId, "/data/" + directoryId, h.nowMs));
        h.apply(h.state.brokerHeartbeat(nodeId, epoch, h.image().lastOffset(), h.nowMs));
        return epoch;
    }

    private void stop(int nodeId) {
        h.apply(h.state.fenceBroker(nodeId, h.nowMs));
    }

    @Test
    void newPartitionsRecordEachReplicasDirectory() {
        // proves: a created partition remembers which directory each replica's log is in
        registerOn(1, "dirA");
        registerOn(2, "dirB");
        h.createTopic("t", 1, 2);
        PartitionRegistration p = h.partition("t", 0);
        assertThat(p.directory(1)).isEqualTo("dirA");
        assertThat(p.directory(2)).isEqualTo("dirB");
        assertThat(h.image().isOffline(p, 1)).isFalse();
    }

    @Test
    void theOnlyInSyncReplicaOnAnotherDirectoryDoesNotLeadUntilItsDirectoryIsBack() {
        // proves: no silent data loss: the partition stays leaderless; the right directory brings it back
        registerOn(1, "dirA");
        h.createTopic("t", 1, 1);
        stop(1);
        registerOn(1, "empty");
        PartitionRegistration p = h.partition("t", 0);
        assertThat(p.leader()).isEqualTo(PartitionRegistration.NO_LEADER);
        assertThat(h.image().isOffline(p, 1)).isTrue();
        assertThat(h.apply(h.state.electLeaders(ElectionType.PREFERRED, null)))
            .containsEntry(new TopicPartition("t", 0), Errors.PREFERRED_LEADER_NOT_AVAILABLE);

        stop(1);
        registerOn(1, "dirA");
        assertThat(h.partition("t", 0).leader()).isEqualTo(1);
        assertThat(h.replayedOneByOne()).isEqualTo(h.image());
    }

    @Test
    void anUncleanElectionAcceptsTheLossAndRecordsTheNewDirectory() {
        // proves: the operator's way out when no replica has the data: elect-leaders --type unclean
        registerOn(1, "dirA");
        h.createTopic("t", 1, 1);
        stop(1);
        registerOn(1, "empty");
        Map<TopicPartition, Errors> result = h.apply(h.state.electLeaders(ElectionType.UNCLEAN,
            List.of(new TopicPartition("t", 0))));
        assertThat(result).containsEntry(new TopicPartition("t", 0), Errors.NONE);
        PartitionRegistration p = h.partition("t", 0);
        assertThat(p.leader()).isEqualTo(1);
        assertThat(p.directory(1)).isEqualTo("empty");
        assertThat(h.image().isOffline(p, 1)).isFalse();
    }

    @Test
    void aReplicaOnANewDirectoryRejoinsTheIsrOnlyThroughItsLeaderAndIsThenRecordedThere() {
        // proves: out of the ISR while empty; once the leader takes it back in, it is online on the new directory
        registerOn(1, "dirA");
        registerOn(2, "dirB");
        h.createTopic("t", 1, 2);
        int leader = h.partition("t", 0).leader();
        int other = leader == 1 ? 2 : 1;
        stop(other);
        registerOn(other, "fresh");
        PartitionRegistration p = h.partition("t", 0);
        assertThat(p.isr()).containsExactly(leader);
        assertThat(h.image().isOffline(p, other)).isTrue();

        h.apply(h.state.alterPartition("t", 0, leader, p.leaderEpoch(), p.partitionEpoch(), List.of(1, 2)));
        PartitionRegistration rejoined = h.partition("t", 0);
        assertThat(rejoined.isr()).containsExactlyInAnyOrder(1, 2);
        assertThat(rejoined.directory(other)).isEqualTo("fresh");
        assertThat(h.image().isOffline(rejoined, other)).isFalse();
    }

    @Test
    void aQuickRestartOnAnEmptyDirectoryLeavesTheIsrBeforeItCouldLead() {
        // proves: a broker back on an empty directory before its session expired is out of the ISR, never the next leader
        registerOn(1, "dirA");
        registerOn(2, "dirB");
        registerOn(3, "dirC");
        h.createTopic("t", 1, 3);
        PartitionRegistration before = h.partition("t", 0);
        int leader = before.leader();
        int third = before.replicas().stream().filter(id -> id != leader).reduce((a, b) -> b).orElseThrow();
        // the third replica restarts quickly (before its session expired) on an empty directory
        registerOn(third, "replaced");
        assertThat(h.partition("t", 0).isr()).doesNotContain(third);
        stop(leader);
        PartitionRegistration after = h.partition("t", 0);
        assertThat(after.leader()).isNotIn(leader, third).isNotEqualTo(PartitionRegistration.NO_LEADER);
    }

    @Test
    void recordsWithoutDirectoriesKeepEveryReplicaOnline() {
        // proves: metadata written before directories existed elects as before
        h.apply(h.state.registerBroker(1, "localhost", 8081, 7001, "node-1", h.nowMs));
        h.apply(h.state.brokerHeartbeat(1, h.epochOf(1), h.image().lastOffset(), h.nowMs));
        h.createTopic("t", 1, 1);
        assertThat(h.partition("t", 0).directories()).isEmpty();
        stop(1);
        registerOn(1, "dirA");
        assertThat(h.partition("t", 0).leader()).isEqualTo(1);
    }
}
