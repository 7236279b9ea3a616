package io.brook.replication.sim;

import io.brook.replication.PartitionState;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-written failure stories on the simulated cluster (quiet network, scripted faults, every
 * invariant of {@link Invariants} still checked after each event). Broker 0 leads epoch 0 at the
 * start; the controller fences a broker 600 ms after its last heartbeat.
 */
class ReplicationScenarioTest {

    private SimCluster cluster;
    private TestClient client;

    private void start(int minInsyncReplicas, long replicaLagTimeMaxMs) {
        cluster = new SimCluster(1, false, SimParams.calm(minInsyncReplicas, replicaLagTimeMaxMs), id -> new MemoryLog());
        client = new TestClient(cluster);
        cluster.start();
        cluster.runFor(500);
        assertThat(cluster.broker(0).leaderState()).isNotNull();
    }

    @AfterEach
    void checkTheEnd() {
        if (cluster != null) {
            cluster.closeLogs();
        }
    }

    private static List<String> values(SimBroker broker) {
        List<String> values = new ArrayList<>();
        broker.log().batchesFrom(0).forEach(batch -> values.addAll(batch.values()));
        return values;
    }

    private void healAndConverge() {
        cluster.heal();
        cluster.awaitConvergence(10_000);
        cluster.invariants.checkFinal(cluster.brokers);
    }

    @Test
    void formerLeaderTruncatesItsUnreplicatedAcksOneRecordsAfterFailover() {
        // proves: acks=1 records only the old leader had are truncated when it returns as a follower,
        // acks=all records survive, and all logs end byte-for-byte equal
        start(2, 500);
        TestClient.Result a = client.produce(0, -1, "a", "b");
        cluster.runFor(200);
        assertThat(a.acknowledged()).isTrue();

        cluster.cut(cluster.broker(0), List.of(1, 2), 1_500);
        TestClient.Result lonely = client.produce(0, 1, "x", "y");
        cluster.runFor(50);
        assertThat(lonely.acknowledged()).as("acks=1 answers at once").isTrue();
        assertThat(lonely.baseOffset).isEqualTo(2);
        cluster.crash(cluster.broker(0), 3_000);
        cluster.runFor(1_000);

        PartitionState afterFailover = cluster.controllerState();
        assertThat(afterFailover.leaderId()).isEqualTo(1);
        assertThat(afterFailover.leaderEpoch()).isEqualTo(1);
        TestClient.Result c = client.produce(1, -1, "c");
        cluster.runFor(300);
        assertThat(c.acknowledged()).isTrue();
        assertThat(c.baseOffset).as("the new leader writes where its log ends").isEqualTo(2);

        healAndConverge();
        assertThat(values(cluster.broker(0))).containsExactly("a", "b", "c");
        assertThat(cluster.invariants.stats.truncations).isGreaterThanOrEqualTo(1);
        assertThat(cluster.invariants.stats.divergingResponses).isGreaterThanOrEqualTo(1);
    }

    @Test
    void minInsyncReplicasBlocksAcksAllWhileTheIsrIsTooSmall() {
        // proves: with the followers cut off, an acks=all write already appended is never acknowledged
        // (it times out), new ones fail with NOT_ENOUGH_REPLICAS once the ISR shrank, acks=1 still
        // works, and after the cut heals the ISR re-expands and acks=all works again
        start(2, 300);
        TestClient.Result first = client.produce(0, -1, "a");
        cluster.runFor(200);
        assertThat(first.acknowledged()).isTrue();

        cluster.cut(cluster.broker(0), List.of(1, 2), 3_000);
        TestClient.Result stuck = client.produce(0, -1, "b");
        cluster.runFor(1_500);
        assertThat(stuck.error).isEqualTo(Errors.REQUEST_TIMED_OUT);
        assertThat(cluster.controllerState().isr()).containsExactly(0);

        TestClient.Result refused = client.produce(0, -1, "c");
        TestClient.Result acksOne = client.produce(0, 1, "d");
        cluster.runFor(100);
        assertThat(refused.error).isEqualTo(Errors.NOT_ENOUGH_REPLICAS);
        assertThat(acksOne.acknowledged()).isTrue();
        long highWatermark = cluster.broker(0).leaderState().highWatermark();
        assertThat(highWatermark).as("the high watermark stalls below min.insync.replicas").isEqualTo(1);

        cluster.runFor(2_500);
        assertThat(cluster.controllerState().isr()).containsExactly(0, 1, 2);
        TestClient.Result again = client.produce(0, -1, "e");
        cluster.runFor(300);
        assertThat(again.acknowledged()).isTrue();
        healAndConverge();
        assertThat(values(cluster.broker(2))).containsExactly("a", "b", "d", "e");
    }

    @Test
    void laggingFollowerLeavesTheIsrAndRejoinsWhenCaughtUp() {
        // proves: a follower that cannot fetch (but still heartbeats) is shrunk out by the leader after
        // replica.lag.time.max.ms, acks=all keeps working with the rest, and it rejoins once caught up
        start(2, 300);
        cluster.cut(cluster.broker(2), List.of(0), 2_000);
        cluster.runFor(600);
        assertThat(cluster.controllerState().isr()).containsExactly(0, 1);
        assertThat(cluster.controllerState().leaderEpoch()).as("an ISR change is not a leader change").isZero();

        List<TestClient.Result> writes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            writes.add(client.produce(0, -1, "w" + i));
            cluster.runFor(50);
        }
        cluster.runFor(200);
        assertThat(writes).allMatch(TestClient.Result::acknowledged);
        assertThat(cluster.broker(2).log().logEndOffset()).isZero();

        cluster.runFor(2_000);
        assertThat(cluster.controllerState().isr()).containsExactly(0, 1, 2);
        assertThat(cluster.invariants.stats.isrShrinks).isEqualTo(1);
        assertThat(cluster.invariants.stats.isrExpansions).isEqualTo(1);
        healAndConverge();
    }

    @Test
    void frozenLeaderThatWakesAcknowledgesNoAcksAllWrite() {
        // proves: requests that reached a leader while it was frozen past its session are not
        // acknowledged as acks=all when it wakes (its followers already follow the new epoch); it
        // steps down and truncates what it appended in the old epoch (an acks=1 write it took is lost)
        start(2, 500);
        TestClient.Result first = client.produce(0, -1, "a");
        cluster.runFor(200);
        assertThat(first.acknowledged()).isTrue();

        cluster.freeze(cluster.broker(0), 2_000);
        TestClient.Result queuedAll = client.produce(0, -1, "stale-all");
        TestClient.Result queuedOne = client.produce(0, 1, "stale-one");
        cluster.runFor(1_000);
        assertThat(cluster.controllerState().leaderId()).isEqualTo(1);
        TestClient.Result fresh = client.produce(1, -1, "fresh");
        cluster.runFor(1_500);

        assertThat(fresh.acknowledged()).isTrue();
        assertThat(queuedAll.answered()).isTrue();
        assertThat(queuedAll.acknowledged()).as("a woken stale leader must not acknowledge acks=all").isFalse();
        assertThat(cluster.invariants.stats.staleLeaderAcks).isZero();
        healAndConverge();
        assertThat(values(cluster.broker(0))).containsExactly("a", "fresh");
        assertThat(queuedOne.acknowledged()).as("acks=1 is answered by whoever thinks it leads: lost here, as Kafka")
            .isTrue();
    }

    @Test
    void partitionWaitsForItsLastInSyncReplicaInsteadOfElectingAnOutOfSyncOne() {
        // proves: with the ISR down to the leader and the leader gone, there is no leader (no unclean
        // election); when that replica returns it leads again in a new epoch, with nothing lost
        start(1, 300);
        cluster.cut(cluster.broker(0), List.of(1, 2), 1_000);
        cluster.runFor(600);
        assertThat(cluster.controllerState().isr()).containsExactly(0);
        TestClient.Result onlyOnLeader = client.produce(0, -1, "only-on-0");
        cluster.runFor(100);
        assertThat(onlyOnLeader.acknowledged()).as("min.insync.replicas=1").isTrue();

        cluster.crash(cluster.broker(0), 2_000);
        cluster.runFor(1_000);
        assertThat(cluster.controllerState().hasLeader()).isFalse();
        assertThat(cluster.controllerState().isr()).isEqualTo(Set.of(0));

        cluster.runFor(1_500);
        assertThat(cluster.controllerState().leaderId()).isEqualTo(0);
        assertThat(cluster.controllerState().leaderEpoch()).isEqualTo(2);
        healAndConverge();
        assertThat(values(cluster.broker(1))).containsExactly("only-on-0");
    }
}
