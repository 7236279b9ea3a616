package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invariants of the cluster metadata, checked on every image a broker would see (after every
 * record) and on every transition between two such images.
 */
final class MetadataInvariants {

    /** What the request that produced a record was, for the transition rules that depend on it. */
    record Op(String name, List<Integer> proposedIsr, boolean uncleanElection, PartitionRegistration basis) {
        static Op of(String name) {
            return new Op(name, List.of(), false, null);
        }

        /** A leader's ISR proposal made from the partition state {@code basis} it saw. */
        static Op alterPartition(String name, List<Integer> proposedIsr, PartitionRegistration basis) {
            return new Op(name, proposedIsr, false, basis);
        }
    }

    private final ControllerConfig config;
    private final Map<Integer, Long> highestBrokerEpoch = new HashMap<>();

    MetadataInvariants(ControllerConfig config) {
        this.config = config;
    }

    /** Rules every image obeys, whatever produced it. */
    void checkImage(MetadataImage image) {
        for (TopicImage topic : image.topics().values()) {
            for (int i = 0; i < topic.partitionCount(); i++) {
                PartitionRegistration p = topic.partitions().get(i);
                String tp = topic.name() + "-" + i + " " + p;
                assertThat(p.replicas()).as(tp).containsAll(p.isr()).doesNotHaveDuplicates();
                assertThat(p.isr()).as(tp).isNotEmpty();
                if (p.hasLeader()) {
                    assertThat(p.isr()).as("leader in ISR: " + tp).contains(p.leader());
                    assertThat(image.isUnfenced(p.leader())).as("leader unfenced: " + tp).isTrue();
                    assertThat(p.isr()).as("a led partition has only unfenced ISR members: " + tp)
                        .allMatch(image::isUnfenced);
                }
            }
        }
    }

    /**
     * Progress, true after every request (not at every offset: an UnfenceBroker precedes the
     * elections it allows): a partition has no leader only if no unfenced broker may lead it, and a
     * reassignment stays open only while some target is out of sync.
     */
    void checkProgress(MetadataImage image) {
        for (TopicImage topic : image.topics().values()) {
            boolean unclean = TopicConfigRules.uncleanLeaderElection(topic, config);
            for (int i = 0; i < topic.partitionCount(); i++) {
                PartitionRegistration p = topic.partitions().get(i);
                if (!p.hasLeader()) {
                    List<Integer> candidates = unclean ? p.replicas() : p.isr();
                    assertThat(candidates).as("leaderless " + topic.name() + "-" + i + " " + p + " could be led")
                        .noneMatch(image::isUnfenced);
                }
                if (p.isReassigning()) {
                    assertThat(p.isr().containsAll(p.targetReplicas()))
                        .as("reassignment of " + topic.name() + "-" + i + " " + p + " could complete").isFalse();
                }
            }
        }
    }

    /** Rules for the step from {@code before} to {@code after} caused by {@code record}. */
    void checkTransition(MetadataImage before, MetadataImage after, MetadataRecord record, Op op) {
        assertThat(after.controllerEpoch()).as("controller epoch never goes back").isGreaterThanOrEqualTo(before.controllerEpoch());
        if (record instanceof RegisterBroker register) {
            Long previous = highestBrokerEpoch.put(register.nodeId(), register.brokerEpoch());
            if (previous != null) {
                assertThat(register.brokerEpoch()).as("broker epochs only go up").isGreaterThan(previous);
            }
        }
        if (record instanceof Partition created) {
            assertThat(created.isr()).as("a new partition's ISR is its unfenced replicas")
                .isEqualTo(created.replicas().stream().filter(before::isUnfenced).toList());
            assertThat(created.leader()).as("the first of them leads").isEqualTo(created.isr().get(0));
            if (!op.name().contains(" assigned ")) { // a manual assignment may name fenced brokers beside a live one
                assertThat(created.replicas()).as("placed replicas go to unfenced brokers").allMatch(before::isUnfenced);
            }
        }
        if (record instanceof PartitionChange change) {
            checkPartitionChange(before, change, op);
        }
    }

    private void checkPartitionChange(MetadataImage before, PartitionChange change, Op op) {
        PartitionRegistration prev = before.partition(change.topic(), change.partition()).orElseThrow();
        String what = op.name() + ": " + prev + " -> " + change;
        if (op.basis() != null) {
            assertThat(List.of(op.basis().leader(), op.basis().leaderEpoch(), op.basis().partitionEpoch()))
                .as("an ISR change is accepted only from the current state: " + what)
                .isEqualTo(List.of(prev.leader(), prev.leaderEpoch(), prev.partitionEpoch()));
        }
        assertThat(change.leaderEpoch()).as("leader epoch never goes back: " + what).isGreaterThanOrEqualTo(prev.leaderEpoch());
        assertThat(change.partitionEpoch()).as("partition epoch goes up: " + what).isGreaterThan(prev.partitionEpoch());
        if (change.leader() != prev.leader()) {
            assertThat(change.leaderEpoch()).as("a new leader means a new leader epoch: " + what).isGreaterThan(prev.leaderEpoch());
        }
        boolean uncleanAllowed = op.uncleanElection()
            || TopicConfigRules.uncleanLeaderElection(before.topic(change.topic()).orElseThrow(), config);
        Set<Integer> vouched = new HashSet<>(prev.isr());
        vouched.addAll(op.proposedIsr()); // only the leader's AlterPartition may vouch for new ISR members
        boolean uncleanShape = change.isr().equals(List.of(change.leader()));
        for (int member : change.isr()) {
            if (!vouched.contains(member)) {
                assertThat(uncleanAllowed && uncleanShape).as("ISR grew without the leader vouching: " + what).isTrue();
            }
        }
        if (change.leader() != PartitionRegistration.NO_LEADER && change.leader() != prev.leader()
                && !vouched.contains(change.leader())) {
            assertThat(uncleanAllowed).as("out-of-sync leader without unclean election: " + what).isTrue();
        }
    }
}
