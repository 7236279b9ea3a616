package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidUpdateVersionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ISR shrink and expand proposed by the leader: accepted with current epochs, refused when stale or invalid. */
class AlterPartitionTest {

    final ControllerHarness h = ControllerHarness.withBrokers(1, 2, 3);
    PartitionRegistration p;
    int leader;

    @BeforeEach
    void createTopic() {
        h.createTopic("t", 1, 3);
        p = h.partition("t", 0);
        leader = p.leader();
    }

    private List<Integer> followers() {
        return p.replicas().stream().filter(id -> id != leader).toList();
    }

    @Test
    void shrinkThenExpand() {
        // proves: an ISR change bumps the partition epoch only; the leader keeps its epoch; expansion re-adds
        int dropped = followers().get(0);
        List<Integer> shrunk = p.isr().stream().filter(id -> id != dropped).toList();
        ControllerResult<PartitionRegistration> shrink = h.state.alterPartition("t", 0, leader, 0, 0, shrunk);
        assertThat(shrink.records()).singleElement().isInstanceOf(PartitionChange.class);
        assertThat(shrink.response().isr()).containsExactlyElementsOf(shrunk);
        assertThat(shrink.response().leaderEpoch()).isZero();
        assertThat(shrink.response().partitionEpoch()).isEqualTo(1);
        h.apply(shrink);
        assertThat(h.partition("t", 0)).isEqualTo(shrink.response());

        ControllerResult<PartitionRegistration> expand = h.state.alterPartition("t", 0, leader, 0, 1,
            List.of(dropped, leader, followers().get(1)));
        h.apply(expand);
        assertThat(h.partition("t", 0).isr()).containsExactlyElementsOf(p.replicas()); // kept in replica order
        assertThat(h.partition("t", 0).partitionEpoch()).isEqualTo(2);
    }

    @Test
    void staleEpochsAreRefused() {
        // proves: an old leader epoch is FENCED_LEADER_EPOCH, an old partition epoch INVALID_UPDATE_VERSION
        h.apply(h.state.alterPartition("t", 0, leader, 0, 0, List.of(leader)));
        assertThatThrownBy(() -> h.state.alterPartition("t", 0, leader, 0, 0, List.of(leader, followers().get(0))))
            .isInstanceOf(InvalidUpdateVersionException.class);
        h.apply(h.state.fenceBroker(leader, h.nowMs)); // the ISR is [leader] only: nobody else may lead
        PartitionRegistration now = h.partition("t", 0);
        assertThat(now.leader()).isEqualTo(-1);
        assertThatThrownBy(() -> h.state.alterPartition("t", 0, leader, 0, 1, List.of(leader)))
            .isInstanceOf(FencedLeaderEpochException.class);
        assertThatThrownBy(() -> h.state.alterPartition("t", 0, leader, 5, 1, List.of(leader)))
            .isInstanceOf(UnknownLeaderEpochException.class);
    }

    @Test
    void oldLeaderLearnsItWasReplaced() {
        // proves: after failover the old leader's shrink (with its epoch) is refused, which is how it steps down
        h.apply(h.state.fenceBroker(leader, h.nowMs));
        PartitionRegistration now = h.partition("t", 0);
        assertThat(now.leader()).isNotEqualTo(leader).isNotEqualTo(-1);
        assertThat(now.leaderEpoch()).isEqualTo(1);
        assertThatThrownBy(() -> h.state.alterPartition("t", 0, leader, 0, 0, List.of(leader)))
            .isInstanceOf(FencedLeaderEpochException.class);
        assertThatThrownBy(() -> h.state.alterPartition("t", 0, leader, 1, now.partitionEpoch(), List.of(leader)))
            .isInstanceOf(NotLeaderOrFollowerException.class);
    }

    @Test
    void invalidIsrsAreRefused() {
        // proves: an ISR without the leader, with non-replicas, duplicates or empty is refused
        int follower = followers().get(0);
        assertThatThrownBy(() -> h.state.alterPartition("t", 0, leader, 0, 0, List.of(follower)))
            .isInstanceOf(InvalidRequestException.class).hasMessageContaining("does not contain the leader");
        assertThatThrownBy(() -> h.state.alterPartition("t", 0, leader, 0, 0, List.of(leader, 9)))
            .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not replicas");
        assertThatThrownBy(() -> h.state.alterPartition("t", 0, leader, 0, 0, List.of(leader, leader)))
            .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> h.state.alterPartition("t", 0, leader, 0, 0, List.of()))
            .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> h.state.alterPartition("u", 0, leader, 0, 0, List.of(leader)))
            .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThatThrownBy(() -> h.state.alterPartition("t", 1, leader, 0, 0, List.of(leader)))
            .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void aFencedNewcomerIsLeftOutAndTheRestCommits() {
        // proves: a fenced broker proposed for the ISR is left out rather than the whole proposal refused,
        // so the leader always gets an answer that metadata carries
        int follower = followers().get(0);
        int other = followers().get(1);
        h.apply(h.state.alterPartition("t", 0, leader, 0, 0, List.of(leader)));
        h.apply(h.state.fenceBroker(follower, h.nowMs));
        int epoch = h.partition("t", 0).partitionEpoch();
        ControllerResult<PartitionRegistration> result =
            h.state.alterPartition("t", 0, leader, 0, epoch, List.of(leader, follower, other));
        assertThat(result.response().isr()).containsExactlyInAnyOrder(leader, other);
        assertThat(result.response().partitionEpoch()).isEqualTo(epoch + 1);
        h.apply(result);
        assertThat(h.partition("t", 0).isr()).doesNotContain(follower);
    }

    @Test
    void unchangedIsrIsAnsweredAtTheNextPartitionEpoch() {
        // proves: proposing the current ISR (in any order) commits the same state at the next partition
        // epoch, so the leader's pending proposal is answered through metadata like any other
        List<Integer> reversed = new java.util.ArrayList<>(p.isr());
        java.util.Collections.reverse(reversed);
        ControllerResult<PartitionRegistration> result = h.state.alterPartition("t", 0, leader, 0, 0, reversed);
        assertThat(result.records()).singleElement().isInstanceOf(PartitionChange.class);
        assertThat(result.response().isr()).containsExactlyElementsOf(p.isr());
        assertThat(result.response().leader()).isEqualTo(p.leader());
        assertThat(result.response().leaderEpoch()).isEqualTo(p.leaderEpoch());
        assertThat(result.response().partitionEpoch()).isEqualTo(p.partitionEpoch() + 1);
        h.apply(result);
        assertThat(h.partition("t", 0)).isEqualTo(result.response());
    }
}
