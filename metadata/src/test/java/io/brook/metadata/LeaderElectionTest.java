package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Elections caused by fencing and unfencing, unclean election on and off, and explicit elections. */
class LeaderElectionTest {

    final ControllerHarness h = ControllerHarness.withBrokers(1, 2, 3);
    private long nextTopicId = 1;

    /** A topic with one partition in exactly this state, written straight to the log. */
    private void topic(String name, Map<String, String> configs, List<Integer> replicas, List<Integer> isr, int leader) {
        h.append(new CreateTopic(name, new Uuid(7, nextTopicId++), replicas.size(), configs));
        h.append(new Partition(name, 0, replicas, isr, leader, 0, 0));
    }

    private void topic(String name, List<Integer> replicas, List<Integer> isr, int leader) {
        topic(name, Map.of(), replicas, isr, leader);
    }

    private void reRegisterAndUnfence(int nodeId) {
        h.registerAndUnfence(nodeId);
    }

    @Test
    void fencingTheLeaderElectsTheFirstUnfencedIsrMemberInReplicaOrder() {
        // proves: new leader = first unfenced ISR member in replica order; epochs +1; fenced broker leaves the ISR
        topic("t", List.of(1, 3, 2), List.of(1, 2, 3), 1);
        ControllerResult<Void> fence = h.state.fenceBroker(1, h.nowMs);
        assertThat(fence.records()).containsExactly(
            new PartitionChange("t", 0, 3, List.of(3, 2), List.of(1, 3, 2), 1, 1, List.of(), List.of()),
            new FenceBroker(1, h.epochOf(1)));
        h.apply(fence);
        assertThat(h.partition("t", 0).leader()).isEqualTo(3);
    }

    @Test
    void fencingAFollowerOnlyShrinksTheIsr() {
        // proves: a fenced follower leaves the ISR; the leader and its epoch stay, the partition epoch goes up
        topic("t", List.of(1, 2, 3), List.of(1, 2, 3), 1);
        h.apply(h.state.fenceBroker(2, h.nowMs));
        assertThat(h.partition("t", 0)).isEqualTo(
            new PartitionRegistration(List.of(1, 2, 3), List.of(1, 3), 1, 0, 1, List.of(), List.of()));
    }

    @Test
    void lastIsrMemberIsKeptWithNoLeader() {
        // proves: fencing the only ISR member leaves leader -1 with the ISR unchanged (Kafka keeps the last member)
        topic("t", List.of(1, 2), List.of(1), 1);
        h.apply(h.state.fenceBroker(1, h.nowMs));
        assertThat(h.partition("t", 0)).isEqualTo(
            new PartitionRegistration(List.of(1, 2), List.of(1), -1, 1, 1, List.of(), List.of()));
        assertThat(h.image().leaderlessPartitions()).containsOnlyKeys(new TopicPartition("t", 0));
    }

    @Test
    void sessionExpiryOfSeveralBrokersIsOneConsistentElection() {
        // proves: brokers expiring in one tick are fenced together: one change per partition, survivors lead
        topic("t", List.of(1, 2, 3), List.of(1, 2, 3), 1);
        h.nowMs += 5_000;
        h.apply(h.state.brokerHeartbeat(3, h.epochOf(3), h.image().lastOffset(), h.nowMs));
        ControllerResult<List<Integer>> tick = h.state.tick(h.nowMs + 4_001);
        assertThat(tick.response()).containsExactly(1, 2);
        assertThat(tick.records()).containsExactly(
            new PartitionChange("t", 0, 3, List.of(3), List.of(1, 2, 3), 1, 1, List.of(), List.of()),
            new FenceBroker(1, h.epochOf(1)), new FenceBroker(2, h.epochOf(2)));
    }

    @Test
    void wholeIsrFencedAtOnceKeepsItAndTheFirstToReturnLeadsAlone() {
        // proves: with every ISR member fenced the ISR stays; the first member back leads with an ISR of live members
        topic("t", List.of(1, 2, 3), List.of(1, 2, 3), 1);
        h.apply(h.state.tick(h.nowMs + 9_001));
        assertThat(h.partition("t", 0).leader()).isEqualTo(-1);
        assertThat(h.partition("t", 0).isr()).containsExactly(1, 2, 3);
        h.nowMs += 9_001;
        reRegisterAndUnfence(2);
        PartitionRegistration p = h.partition("t", 0);
        assertThat(p.leader()).isEqualTo(2);
        assertThat(p.isr()).containsExactly(2);
        assertThat(p.leaderEpoch()).isEqualTo(2);
    }

    @Test
    void uncleanOffLeavesThePartitionLeaderless() {
        // proves: with unclean election off, an unfenced out-of-sync replica does not lead
        topic("t", List.of(1, 2), List.of(1), 1);
        h.apply(h.state.fenceBroker(1, h.nowMs));
        assertThat(h.partition("t", 0).leader()).isEqualTo(-1);
        assertThat(h.image().isUnfenced(2)).isTrue();
    }

    @Test
    void uncleanOnForTheTopicElectsAnOutOfSyncReplica() {
        // proves: unclean.leader.election.enable=true lets the first unfenced replica lead with ISR = [itself]
        topic("t", Map.of("unclean.leader.election.enable", "true"), List.of(1, 3, 2), List.of(1), 1);
        h.apply(h.state.fenceBroker(1, h.nowMs));
        assertThat(h.partition("t", 0)).isEqualTo(
            new PartitionRegistration(List.of(1, 3, 2), List.of(3), 3, 1, 1, List.of(), List.of()));
    }

    @Test
    void uncleanDefaultComesFromTheControllerConfig() {
        // proves: the controller-wide default applies to topics without an override, and an override wins
        ControllerHarness unclean = ControllerHarness.withBrokers(
            ControllerHarness.config(Map.of(ControllerConfig.UNCLEAN_LEADER_ELECTION_ENABLE, true)), 1, 2);
        unclean.append(new CreateTopic("a", new Uuid(1, 1), 2, Map.of()));
        unclean.append(new Partition("a", 0, List.of(1, 2), List.of(1), 1, 0, 0));
        unclean.append(new CreateTopic("b", new Uuid(1, 2), 2, Map.of("unclean.leader.election.enable", "false")));
        unclean.append(new Partition("b", 0, List.of(1, 2), List.of(1), 1, 0, 0));
        unclean.apply(unclean.state.fenceBroker(1, unclean.nowMs));
        assertThat(unclean.partition("a", 0).leader()).isEqualTo(2);
        assertThat(unclean.partition("b", 0).leader()).isEqualTo(-1);
    }

    @Test
    void unfencingElectsLeaderlessPartitionsFromTheIsr() {
        // proves: the last ISR member coming back leads again (after its UnfenceBroker), with a new leader epoch
        topic("t", List.of(1, 2), List.of(1), 1);
        h.apply(h.state.fenceBroker(1, h.nowMs));
        long epoch = h.register(1);
        ControllerResult<HeartbeatReply> heartbeat = h.state.brokerHeartbeat(1, epoch, epoch, h.nowMs);
        assertThat(heartbeat.records()).containsExactly(new UnfenceBroker(1, epoch),
            new PartitionChange("t", 0, 1, List.of(1), List.of(1, 2), 2, 2, List.of(), List.of()));
        h.apply(heartbeat);
    }

    @Test
    void unfencingAnOutOfSyncReplicaElectsItOnlyIfUnclean() {
        // proves: a returning replica outside the ISR leads a leaderless partition only where unclean is on
        topic("clean", List.of(1, 2), List.of(1), 1);
        topic("dirty", Map.of("unclean.leader.election.enable", "true"), List.of(1, 2), List.of(1), 1);
        h.apply(h.state.fenceBroker(2, h.nowMs));
        h.apply(h.state.fenceBroker(1, h.nowMs));
        reRegisterAndUnfence(2);
        assertThat(h.partition("clean", 0).leader()).isEqualTo(-1);
        assertThat(h.partition("dirty", 0).leader()).isEqualTo(2);
        assertThat(h.partition("dirty", 0).isr()).containsExactly(2);
    }

    @Test
    void turningUncleanOnElectsLeaderlessPartitions() {
        // proves: enabling unclean election on a topic elects its leaderless partitions at once (as Kafka does)
        topic("t", List.of(1, 2), List.of(1), 1);
        h.apply(h.state.fenceBroker(1, h.nowMs));
        ControllerResult<Map<String, String>> alter = h.state.alterConfigs("t",
            Map.of("unclean.leader.election.enable", "true"), List.of());
        assertThat(alter.records()).hasSize(2);
        h.apply(alter);
        assertThat(h.partition("t", 0).leader()).isEqualTo(2);
    }

    @Test
    void preferredElection() {
        // proves: the first replica takes over when unfenced and in the ISR; otherwise Kafka's per-partition errors
        topic("moved", List.of(1, 2), List.of(1, 2), 2);
        topic("home", List.of(1, 2), List.of(1, 2), 1);
        topic("outOfSync", List.of(3, 2), List.of(2), 2);
        TopicPartition moved = new TopicPartition("moved", 0);
        TopicPartition home = new TopicPartition("home", 0);
        TopicPartition outOfSync = new TopicPartition("outOfSync", 0);
        TopicPartition unknown = new TopicPartition("nope", 0);
        ControllerResult<Map<TopicPartition, Errors>> result = h.state.electLeaders(ElectionType.PREFERRED,
            List.of(moved, home, outOfSync, unknown));
        assertThat(result.response()).containsExactly(Map.entry(moved, Errors.NONE),
            Map.entry(home, Errors.ELECTION_NOT_NEEDED), Map.entry(outOfSync, Errors.PREFERRED_LEADER_NOT_AVAILABLE),
            Map.entry(unknown, Errors.UNKNOWN_TOPIC_OR_PARTITION));
        assertThat(result.records()).containsExactly(
            new PartitionChange("moved", 0, 1, List.of(1, 2), List.of(1, 2), 1, 1, List.of(), List.of()));
        h.apply(result);
        h.apply(h.state.fenceBroker(3, h.nowMs));
        assertThat(h.state.electLeaders(ElectionType.PREFERRED, List.of(outOfSync)).response())
            .containsEntry(outOfSync, Errors.PREFERRED_LEADER_NOT_AVAILABLE);
    }

    @Test
    void uncleanElectionOnRequest() {
        // proves: an UNCLEAN election elects an out-of-sync replica for leaderless partitions, even with the config off
        topic("t", List.of(1, 2), List.of(1), 1);
        topic("u", List.of(1), List.of(1), 1);
        topic("led", List.of(2), List.of(2), 2);
        h.apply(h.state.fenceBroker(1, h.nowMs));
        ControllerResult<Map<TopicPartition, Errors>> result = h.state.electLeaders(ElectionType.UNCLEAN, null);
        assertThat(result.response()).containsEntry(new TopicPartition("t", 0), Errors.NONE)
            .containsEntry(new TopicPartition("u", 0), Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE)
            .containsEntry(new TopicPartition("led", 0), Errors.ELECTION_NOT_NEEDED);
        h.apply(result);
        assertThat(h.partition("t", 0).leader()).isEqualTo(2);
    }

    @Test
    void autoRebalanceRunsEveryIntervalAndMovesLeadersHome() {
        // proves: the first check waits one interval; then partitions whose preferred replica is back are elected
        topic("t", List.of(1, 2), List.of(1, 2), 2);
        long start = h.nowMs;
        assertThat(h.state.maybeBalanceLeaders(start).records()).isEmpty();
        assertThat(h.state.maybeBalanceLeaders(start + 299_999).records()).isEmpty();
        ControllerResult<List<TopicPartition>> due = h.state.maybeBalanceLeaders(start + 300_000);
        assertThat(due.response()).containsExactly(new TopicPartition("t", 0));
        h.apply(due);
        assertThat(h.partition("t", 0).leader()).isEqualTo(1);
        assertThat(h.state.maybeBalanceLeaders(start + 300_001).records()).isEmpty();
    }

    @Test
    void autoRebalanceIsBoundedAndCanBeDisabled() {
        // proves: auto.leader.rebalance.max.elections caps one check; auto.leader.rebalance.enable=false turns it off
        ControllerHarness bounded = ControllerHarness.withBrokers(ControllerHarness.config(Map.of(
            ControllerConfig.AUTO_LEADER_REBALANCE_MAX_ELECTIONS, 2,
            ControllerConfig.LEADER_IMBALANCE_CHECK_INTERVAL_SECONDS, 1)), 1, 2);
        for (int i = 0; i < 3; i++) {
            bounded.append(new CreateTopic("t" + i, new Uuid(3, i + 1), 2, Map.of()));
            bounded.append(new Partition("t" + i, 0, List.of(1, 2), List.of(1, 2), 2, 0, 0));
        }
        bounded.state.maybeBalanceLeaders(0);
        assertThat(bounded.apply(bounded.state.maybeBalanceLeaders(1_000))).hasSize(2);
        assertThat(bounded.apply(bounded.state.maybeBalanceLeaders(2_000))).hasSize(1);

        ControllerHarness disabled = ControllerHarness.withBrokers(ControllerHarness.config(Map.of(
            ControllerConfig.AUTO_LEADER_REBALANCE_ENABLE, false)), 1, 2);
        disabled.append(new CreateTopic("t", new Uuid(4, 1), 2, Map.of()));
        disabled.append(new Partition("t", 0, List.of(1, 2), List.of(1, 2), 2, 0, 0));
        disabled.state.maybeBalanceLeaders(0);
        assertThat(disabled.state.maybeBalanceLeaders(Long.MAX_VALUE / 2).records()).isEmpty();
    }

    @Test
    void autoRebalanceSkipsUnavailablePreferredLeaders() {
        // proves: a preferred replica that is fenced or out of sync is not made leader by the rebalance
        topic("fenced", List.of(3, 2), List.of(3, 2), 2);
        topic("behind", List.of(1, 2), List.of(2), 2);
        h.apply(h.state.fenceBroker(3, h.nowMs));
        h.state.maybeBalanceLeaders(0);
        assertThat(h.state.maybeBalanceLeaders(300_000).response()).isEmpty();
    }
}
