package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.DuplicateBrokerRegistrationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.StaleBrokerEpochException;
import org.junit.jupiter.api.Test;

/** Registration, heartbeats, session expiry via nowMs, fencing hints and unregistration. */
class BrokerLifecycleTest {

    final ControllerHarness h = ControllerHarness.started();

    @Test
    void registrationEpochIsTheRecordsOffsetAndStartsFenced() {
        // proves: the broker epoch is the offset RegisterBroker lands at, and the broker is fenced until caught up
        long epoch = h.register(1);
        int index = h.log.size() - 1;
        assertThat(h.log.get(index)).isInstanceOf(RegisterBroker.class);
        assertThat(h.offsets.get(index)).isEqualTo(epoch);
        assertThat(h.image().broker(1).orElseThrow().state()).isEqualTo(BrokerState.REGISTERED);
        assertThat(h.image().unfencedBrokers()).isEmpty();
    }

    @Test
    void heartbeatUnfencesOnceCaughtUp() {
        // proves: a heartbeat behind the registration offset keeps the broker fenced; at or past it, UnfenceBroker
        long epoch = h.register(1);
        ControllerResult<HeartbeatReply> behind = h.state.brokerHeartbeat(1, epoch, epoch - 1, h.nowMs);
        assertThat(behind.records()).isEmpty();
        assertThat(behind.response()).isEqualTo(new HeartbeatReply(true, false));

        ControllerResult<HeartbeatReply> caughtUp = h.state.brokerHeartbeat(1, epoch, epoch, h.nowMs);
        assertThat(caughtUp.records()).containsExactly(new UnfenceBroker(1, epoch));
        assertThat(caughtUp.response()).isEqualTo(new HeartbeatReply(false, false));
        h.apply(caughtUp);
        assertThat(h.image().unfencedBrokers()).containsExactly(1);
        assertThat(h.state.brokerHeartbeat(1, epoch, epoch, h.nowMs).records()).isEmpty();
    }

    @Test
    void staleEpochAndUnknownNodeAreRefused() {
        // proves: a heartbeat from an older incarnation or an unregistered node is a typed error
        long first = h.registerAndUnfence(1);
        h.nowMs += 10_000;
        h.apply(h.state.tick(h.nowMs)); // session expired: fenced
        long second = h.register(1);
        assertThat(second).isGreaterThan(first);
        assertThatThrownBy(() -> h.state.brokerHeartbeat(1, first, 100, h.nowMs))
            .isInstanceOf(StaleBrokerEpochException.class).hasMessageContaining("epoch " + second);
        assertThatThrownBy(() -> h.state.brokerHeartbeat(7, 1, 100, h.nowMs))
            .isInstanceOf(BrokerIdNotRegisteredException.class);
    }

    @Test
    void sessionExpiresStrictlyAfterTheTimeout() {
        // proves: tick fences a broker silent for more than broker.session.timeout.ms (9000), not at exactly 9000
        h.registerAndUnfence(1);
        h.registerAndUnfence(2);
        long start = h.nowMs;
        h.apply(h.state.brokerHeartbeat(2, h.epochOf(2), h.image().lastOffset(), start + 5_000));
        assertThat(h.state.tick(start + 9_000).records()).isEmpty();
        ControllerResult<List<Integer>> expired = h.state.tick(start + 9_001);
        assertThat(expired.response()).containsExactly(1);
        assertThat(expired.records()).containsExactly(new FenceBroker(1, h.epochOf(1)));
        h.apply(expired);
        assertThat(h.image().broker(1).orElseThrow().state()).isEqualTo(BrokerState.FENCED);
        assertThat(h.state.tick(start + 14_000).response()).isEmpty();
        assertThat(h.state.tick(start + 14_001).response()).containsExactly(2);
    }

    @Test
    void regularHeartbeatsKeepBrokersUnfenced() {
        // proves: heartbeating every 2 s for a minute never expires the session
        h.registerAndUnfence(1);
        for (int i = 0; i < 30; i++) {
            h.nowMs += 2_000;
            h.heartbeatAll();
            assertThat(h.state.tick(h.nowMs).records()).isEmpty();
        }
        assertThat(h.image().unfencedBrokers()).containsExactly(1);
    }

    @Test
    void fencedBrokerIsToldToRegisterAgain() {
        // proves: after the controller fences a broker, its heartbeats say re-register, and re-registering works
        long epoch = h.registerAndUnfence(1);
        h.apply(h.state.fenceBroker(1, h.nowMs));
        ControllerResult<HeartbeatReply> reply = h.state.brokerHeartbeat(1, epoch, h.image().lastOffset(), h.nowMs);
        assertThat(reply.records()).isEmpty();
        assertThat(reply.response()).isEqualTo(new HeartbeatReply(true, true));
        long next = h.registerAndUnfence(1);
        assertThat(next).isGreaterThan(epoch);
        assertThat(h.image().unfencedBrokers()).containsExactly(1);
    }

    @Test
    void fenceHintIsImmediateAndIdempotent() {
        // proves: the cluster manager's "node left" fences at once; a second hint appends nothing
        h.registerAndUnfence(1);
        ControllerResult<Void> fence = h.state.fenceBroker(1, h.nowMs);
        assertThat(fence.records()).containsExactly(new FenceBroker(1, h.epochOf(1)));
        h.apply(fence);
        assertThat(h.state.fenceBroker(1, h.nowMs).records()).isEmpty();
        assertThatThrownBy(() -> h.state.fenceBroker(9, h.nowMs)).isInstanceOf(BrokerIdNotRegisteredException.class);
    }

    @Test
    void hintAlsoEndsTheEpochOfABrokerStillCatchingUp() {
        // proves: a registered-but-fenced broker whose node left must register again (its event bus node is gone)
        long epoch = h.register(1);
        h.apply(h.state.fenceBroker(1, h.nowMs));
        assertThat(h.state.brokerHeartbeat(1, epoch, epoch, h.nowMs).response().shouldReRegister()).isTrue();
    }

    @Test
    void secondLiveProcessWithTheSameNodeIdIsRefused() {
        // proves: another event bus node cannot take over a node id while its session lives; after expiry it can
        h.registerAndUnfence(1);
        assertThatThrownBy(() -> h.state.registerBroker(1, "other", 1, 2, "other-node", h.nowMs + 1_000))
            .isInstanceOf(DuplicateBrokerRegistrationException.class).hasMessageContaining("node-1");
        ControllerResult<Long> takeover = h.state.registerBroker(1, "other", 1, 2, "other-node", h.nowMs + 9_001);
        assertThat(takeover.records()).hasSize(2);
        assertThat(takeover.records().get(0)).isEqualTo(new FenceBroker(1, h.epochOf(1)));
        assertThat(takeover.records().get(1)).isInstanceOf(RegisterBroker.class);
    }

    @Test
    void sameProcessReRegisteringFencesItsOldEpochFirst() {
        // proves: re-registration of an unfenced leader moves its leaderships, fences the old epoch, then registers
        ControllerHarness cluster = ControllerHarness.withBrokers(1, 2);
        cluster.createTopic("t", 2, 2);
        long oldEpoch = cluster.epochOf(1);
        ControllerResult<Long> result = cluster.state.registerBroker(1, "localhost", 8081, 7001, "node-1", cluster.nowMs);
        List<MetadataRecord> records = result.records();
        assertThat(records.subList(0, records.size() - 2)).allSatisfy(r -> assertThat(r).isInstanceOf(PartitionChange.class));
        assertThat(records.get(records.size() - 2)).isEqualTo(new FenceBroker(1, oldEpoch));
        assertThat(records.get(records.size() - 1)).isInstanceOf(RegisterBroker.class);
        long newEpoch = cluster.apply(result);
        assertThat(cluster.offsets.get(cluster.log.size() - 1)).isEqualTo(newEpoch);
        assertThat(cluster.image().partitionsLedBy(1)).isEmpty();
        assertThat(cluster.image().replicasOn(1)).hasSize(2); // still a replica: it will catch up and rejoin
    }

    @Test
    void registrationArgumentsAreChecked() {
        // proves: malformed registrations are INVALID_REQUEST, not a corrupt record
        assertThatThrownBy(() -> h.state.registerBroker(-1, "h", 1, 2, "n", h.nowMs)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> h.state.registerBroker(1, " ", 1, 2, "n", h.nowMs)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> h.state.registerBroker(1, "h", 1, 2, null, h.nowMs)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> h.state.registerBroker(1, "h", 65_536, 2, "n", h.nowMs)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void registeredButNotCaughtUpBrokersAreNotFencedByTick() {
        // proves: tick only fences unfenced brokers (a catching-up broker leads nothing and writes no FenceBroker)
        h.register(1);
        assertThat(h.state.tick(h.nowMs + 60_000).records()).isEmpty();
    }

    @Test
    void unregisterMovesLeadershipThenForgetsTheBroker() {
        // proves: UnregisterBroker follows the elections that take the broker out of leadership and ISRs
        ControllerHarness cluster = ControllerHarness.withBrokers(1, 2, 3);
        cluster.createTopic("t", 3, 3);
        cluster.apply(cluster.state.unregisterBroker(2));
        assertThat(cluster.image().broker(2)).isEmpty();
        assertThat(cluster.image().partitionsLedBy(2)).isEmpty();
        assertThat(cluster.image().topic("t").orElseThrow().partitions())
            .allSatisfy(p -> assertThat(p.isr()).doesNotContain(2));
        assertThat(cluster.log.get(cluster.log.size() - 1)).isEqualTo(new UnregisterBroker(2));
    }

    @Test
    void unregisterIsRefusedWhileTheBrokerHostsReplicasUnlessForced() {
        // proves: a decommission that would leave replicas on a broker that no longer exists is refused, naming
        // them; once they are moved (or with force) the broker is forgotten
        ControllerHarness cluster = ControllerHarness.withBrokers(1, 2, 3);
        cluster.createTopic("t", 2, 2);
        List<String> hosted = cluster.image().replicasOn(3).keySet().stream()
            .map(tp -> tp.topic() + ":" + tp.partition()).sorted().toList();
        assertThat(hosted).isNotEmpty();
        assertThatThrownBy(() -> cluster.state.unregisterBroker(3, false))
            .isInstanceOf(InvalidRequestException.class)
            .hasMessageStartingWith("Broker 3 still hosts " + hosted.size() + " partition replica(s): "
                + String.join(", ", hosted) + "; move them");
        assertThat(cluster.state.unregisterBroker(1, true).records()).endsWith(new UnregisterBroker(1));
        for (String name : hosted) {
            int partition = Integer.parseInt(name.substring(2));
            cluster.apply(cluster.state.reassignPartitions("t", partition, List.of(1, 2)));
            cluster.apply(cluster.state.alterPartition("t", partition, cluster.partition("t", partition).leader(),
                cluster.partition("t", partition).leaderEpoch(), cluster.partition("t", partition).partitionEpoch(),
                List.of(1, 2, 3)));
        }
        assertThat(cluster.image().replicasOn(3)).isEmpty();
        cluster.apply(cluster.state.unregisterBroker(3, false));
        assertThat(cluster.image().broker(3)).isEmpty();
    }

    @Test
    void describeClusterShowsStatesAndHeartbeatAges() {
        // proves: describe reports each broker's state and the age of its last heartbeat, and the controller
        h.registerAndUnfence(1);
        h.register(2);
        h.apply(h.state.brokerHeartbeat(1, h.epochOf(1), h.image().lastOffset(), h.nowMs + 500));
        ControllerView description = h.state.describeCluster(h.nowMs + 1_500);
        assertThat(description.controllerId()).isEqualTo(ControllerHarness.CONTROLLER_ID);
        assertThat(description.controllerEpoch()).isEqualTo(1);
        assertThat(description.brokers()).extracting(ControllerView.BrokerDescription::nodeId).containsExactly(1, 2);
        assertThat(description.brokers().get(0).fenced()).isFalse();
        assertThat(description.brokers().get(0).lastHeartbeatAgeMs()).isEqualTo(1_000);
        assertThat(description.brokers().get(1).fenced()).isTrue();
        assertThat(description.brokers().get(1).lastHeartbeatAgeMs()).isEqualTo(1_500);
    }

    @Test
    void sessionTimeoutIsConfigurable() {
        // proves: broker.session.timeout.ms is read from the config
        ControllerHarness shortSessions = ControllerHarness.withBrokers(
            ControllerHarness.config(Map.of(ControllerConfig.BROKER_SESSION_TIMEOUT_MS, 100)), 1);
        assertThat(shortSessions.state.tick(shortSessions.nowMs + 101).response()).containsExactly(1);
    }
}
