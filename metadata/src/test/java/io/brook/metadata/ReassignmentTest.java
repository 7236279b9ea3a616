package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.ReassignmentInProgressException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reassignment: add targets, let them catch up into the ISR, then switch; immediate when already in sync; cancel. */
class ReassignmentTest {

    static final Uuid ID = new Uuid(9, 9);
    final ControllerHarness h = ControllerHarness.withBrokers(1, 2, 3, 4);

    @BeforeEach
    void partitionOnOneAndTwo() {
        h.append(new CreateTopic("t", ID, 2, Map.of()));
        h.append(new Partition("t", 0, List.of(1, 2), List.of(1, 2), 1, 0, 0));
    }

    @Test
    void addCatchUpSwitch() {
        // proves: [1,2] -> [2,3] first adds 3 (same leader and ISR, kept in the new replica order), then
        // completes when 3 joins the ISR
        MetadataImage before = h.image();
        ControllerResult<PartitionRegistration> start = h.state.reassignPartitions("t", 0, List.of(2, 3));
        assertThat(start.records()).containsExactly(
            new PartitionChange("t", 0, 1, List.of(2, 1), List.of(2, 3, 1), 0, 1, List.of(3), List.of(1)));
        h.apply(start);
        PartitionRegistration moving = h.partition("t", 0);
        assertThat(moving.isReassigning()).isTrue();
        assertThat(moving.targetReplicas()).containsExactly(2, 3);
        assertThat(MetadataDelta.forBroker(before, h.image(), 3).followers()).singleElement()
            .satisfies(change -> assertThat(change.isNew()).isTrue());

        // the leader (1) sees 3 caught up and proposes it into the ISR: the same change completes the move
        ControllerResult<PartitionRegistration> join = h.state.alterPartition("t", 0, 1, 0, 1, List.of(1, 2, 3));
        assertThat(join.records()).containsExactly(
            new PartitionChange("t", 0, 2, List.of(2, 3), List.of(2, 3), 1, 2, List.of(), List.of()));
        MetadataImage during = h.image();
        h.apply(join);
        assertThat(MetadataDelta.forBroker(during, h.image(), 1).removed()).containsExactly(new TopicIdPartition(ID, 0, "t"));
        assertThat(MetadataDelta.forBroker(during, h.image(), 2).leaders()).hasSize(1);
    }

    @Test
    void theLeaderMovesOnlyWhenItLeavesTheReplicasElseAtTheNextPreferredElection() {
        // proves (the documented behaviour, as Kafka): reordering the same replicas keeps the leader; the new first
        // replica leads after a preferred election (elect-leaders now, or the next auto leader rebalance check);
        // a reassignment that drops the leader hands leadership to the first in-sync target at once
        h.apply(h.state.reassignPartitions("t", 0, List.of(2, 1)));
        PartitionRegistration reordered = h.partition("t", 0);
        assertThat(reordered.replicas()).containsExactly(2, 1);
        assertThat(reordered.isReassigning()).isFalse();
        assertThat(reordered.leader()).as("the old leader stays").isEqualTo(1);

        long intervalMs = ControllerConfig.defaults().leaderImbalanceCheckIntervalMs();
        assertThat(h.state.maybeBalanceLeaders(h.nowMs).response()).as("first call schedules the check").isEmpty();
        assertThat(h.state.maybeBalanceLeaders(h.nowMs + intervalMs - 1).response()).isEmpty();
        h.apply(h.state.maybeBalanceLeaders(h.nowMs + intervalMs));
        assertThat(h.partition("t", 0).leader()).as("the auto rebalance elects the preferred replica").isEqualTo(2);

        h.apply(h.state.reassignPartitions("t", 0, List.of(1, 2)));
        assertThat(h.partition("t", 0).leader()).isEqualTo(2);
        h.apply(h.state.electLeaders(ElectionType.PREFERRED, List.of(new TopicPartition("t", 0))));
        assertThat(h.partition("t", 0).leader()).as("elect-leaders does it now").isEqualTo(1);

        h.apply(h.state.reassignPartitions("t", 0, List.of(2)));
        assertThat(h.partition("t", 0).leader()).as("the leader left the replicas").isEqualTo(2);
    }

    @Test
    void completesAtOnceWhenTargetsAreInSync() {
        // proves: shrinking to in-sync replicas completes in one change; removing replicas bumps the leader epoch
        h.apply(h.state.reassignPartitions("t", 0, List.of(1)));
        assertThat(h.partition("t", 0)).isEqualTo(
            new PartitionRegistration(List.of(1), List.of(1), 1, 1, 1, List.of(), List.of()));
    }

    @Test
    void reorderingChangesThePreferredLeaderOnly() {
        // proves: a reordering is a replicas change without a leader change or leader epoch bump
        h.apply(h.state.reassignPartitions("t", 0, List.of(2, 1)));
        assertThat(h.partition("t", 0)).isEqualTo(
            new PartitionRegistration(List.of(2, 1), List.of(2, 1), 1, 0, 1, List.of(), List.of()));
        assertThat(h.state.reassignPartitions("t", 0, List.of(2, 1)).records()).isEmpty();
    }

    @Test
    void leaderOutsideTheTargetsHandsOver() {
        // proves: moving a partition entirely off its leader elects the first target once the targets are in sync
        h.apply(h.state.reassignPartitions("t", 0, List.of(3, 4)));
        h.apply(h.state.alterPartition("t", 0, 1, 0, 1, List.of(1, 2, 3)));
        assertThat(h.partition("t", 0).isReassigning()).isTrue();
        h.apply(h.state.alterPartition("t", 0, 1, 0, 2, List.of(1, 2, 3, 4)));
        PartitionRegistration done = h.partition("t", 0);
        assertThat(done.replicas()).containsExactly(3, 4);
        assertThat(done.isr()).containsExactly(3, 4);
        assertThat(done.leader()).isEqualTo(3);
        assertThat(done.leaderEpoch()).isEqualTo(1);
    }

    @Test
    void invalidTargetsAreRefused() {
        // proves: empty, duplicate or unregistered targets, unknown partitions and a second reassignment are refused
        assertThatThrownBy(() -> h.state.reassignPartitions("t", 0, List.of())).isInstanceOf(InvalidReplicaAssignmentException.class);
        assertThatThrownBy(() -> h.state.reassignPartitions("t", 0, List.of(2, 2))).isInstanceOf(InvalidReplicaAssignmentException.class);
        assertThatThrownBy(() -> h.state.reassignPartitions("t", 0, List.of(2, 9)))
            .isInstanceOf(InvalidReplicaAssignmentException.class).hasMessageContaining("broker 9");
        assertThatThrownBy(() -> h.state.reassignPartitions("t", 1, List.of(2))).isInstanceOf(UnknownTopicOrPartitionException.class);
        h.apply(h.state.reassignPartitions("t", 0, List.of(3, 4)));
        assertThatThrownBy(() -> h.state.reassignPartitions("t", 0, List.of(1))).isInstanceOf(ReassignmentInProgressException.class);
    }

    @Test
    void cancelRevertsToTheOriginalReplicas() {
        // proves: cancelling drops the added replicas from replicas and ISR and bumps the leader epoch
        h.apply(h.state.reassignPartitions("t", 0, List.of(2, 3)));
        h.apply(h.state.alterPartition("t", 0, 1, 0, 1, List.of(1, 2)));
        ControllerResult<PartitionRegistration> cancel = h.state.cancelReassignment("t", 0);
        h.apply(cancel);
        PartitionRegistration reverted = h.partition("t", 0);
        assertThat(reverted.isReassigning()).isFalse();
        assertThat(reverted.replicas()).containsExactlyInAnyOrder(1, 2);
        assertThat(reverted.isr()).containsExactlyInAnyOrder(1, 2);
        assertThat(reverted.leader()).isEqualTo(1);
        assertThat(reverted.leaderEpoch()).isEqualTo(1);
        assertThatThrownBy(() -> h.state.cancelReassignment("t", 0)).isInstanceOf(NoReassignmentInProgressException.class);
    }

    @Test
    void fencingDuringAReassignmentStillElects() {
        // proves: a reassigning partition follows the ordinary election rules
        h.apply(h.state.reassignPartitions("t", 0, List.of(2, 3)));
        h.apply(h.state.fenceBroker(1, h.nowMs));
        PartitionRegistration p = h.partition("t", 0);
        assertThat(p.leader()).isEqualTo(2);
        assertThat(p.isReassigning()).isTrue();
        h.apply(h.state.alterPartition("t", 0, 2, 1, p.partitionEpoch(), List.of(2, 3)));
        assertThat(h.partition("t", 0).replicas()).containsExactly(2, 3);
        assertThat(h.partition("t", 0).isReassigning()).isFalse();
    }

    @Test
    void uncleanElectionOfTheOnlyTargetCompletesTheReassignment() {
        // proves: when an unclean election makes the ISR exactly the targets, the reassignment completes in that change
        h.append(new CreateTopic("u", new Uuid(9, 10), 2, Map.of("unclean.leader.election.enable", "true")));
        h.append(new Partition("u", 0, List.of(1, 2), List.of(1, 2), 1, 0, 0));
        h.apply(h.state.reassignPartitions("u", 0, List.of(3)));
        h.apply(h.state.tick(h.nowMs + 9_001)); // every session expires at once
        h.nowMs += 9_001;
        h.registerAndUnfence(3);
        assertThat(h.partition("u", 0)).isEqualTo(
            new PartitionRegistration(List.of(3), List.of(3), 3, 2, 3, List.of(), List.of()));
    }
}
