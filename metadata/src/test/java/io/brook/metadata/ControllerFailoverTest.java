package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.errors.NotControllerException;
import org.junit.jupiter.api.Test;

/** Controller epochs, fresh sessions after failover, and replay equivalence of the controller's own log. */
class ControllerFailoverTest {

    @Test
    void requestsWaitForTheControllersOwnEpoch() {
        // proves: a controller serves nothing until its ControllerEpoch is replayed
        ControllerState state = new ControllerState(MetadataImage.EMPTY, ControllerConfig.defaults(), new Random(1),
            TopicConfigValidator.ACCEPT_ALL);
        assertThatThrownBy(() -> state.tick(0)).isInstanceOf(NotControllerException.class);
        ControllerResult<Void> epoch = state.newControllerEpoch(3, 1);
        assertThat(epoch.records()).containsExactly(new ControllerEpoch(3, 1));
        assertThatThrownBy(() -> state.tick(0)).isInstanceOf(NotControllerException.class);
        state.replay(epoch.records().get(0), 0);
        assertThat(state.isActive()).isTrue();
        assertThat(state.tick(0).records()).isEmpty();
    }

    @Test
    void epochsOnlyGoUp() {
        // proves: a new controller epoch must be above the image's
        ControllerHarness h = ControllerHarness.started();
        assertThatThrownBy(() -> h.state.newControllerEpoch(1, 1))
            .isInstanceOf(NotControllerException.class).hasMessageContaining("not newer than the current 1");
    }

    @Test
    void aNewerControllerDeposesThisOne() {
        // proves: once another controller's epoch is in the log, this state refuses requests (it is stale)
        ControllerHarness h = ControllerHarness.withBrokers(1);
        h.append(new ControllerEpoch(5, 2));
        assertThat(h.state.isActive()).isFalse();
        assertThatThrownBy(() -> h.state.createTopic("t", 1, 1, Map.of(), 0))
            .isInstanceOf(NotControllerException.class).hasMessageContaining("controller is 5 in epoch 2");
    }

    @Test
    void everyBrokerGetsAFreshSessionAfterFailover() {
        // proves: heartbeat bookkeeping is soft state: the new controller times sessions from its own first look
        ControllerHarness h = ControllerHarness.withBrokers(1);
        long lastHeartbeat = h.nowMs;
        h.failover(2, 7L);
        long takeover = lastHeartbeat + 8_000;
        assertThat(h.state.tick(takeover).records()).isEmpty();
        assertThat(h.state.tick(lastHeartbeat + 9_001).records()).isEmpty(); // the old session would have expired
        assertThat(h.state.tick(takeover + 9_000).records()).isEmpty();
        assertThat(h.state.tick(takeover + 9_001).response()).containsExactly(1);
        assertThat(h.image().controllerId()).isEqualTo(2);
        assertThat(h.state.describeCluster(takeover).controllerEpoch()).isEqualTo(2);
    }

    @Test
    void replayingTheLogGivesTheControllersImage() {
        // proves: a broker replaying the controller's records (one by one, in batches, or after serde) gets its image
        ControllerHarness h = ControllerHarness.withBrokers(1, 2, 3);
        h.createTopic("a", 6, 3);
        h.createTopic("b", 3, 2);
        h.apply(h.state.alterConfigs("a", Map.of("retention.ms", "5"), List.of()));
        h.apply(h.state.fenceBroker(2, h.nowMs));
        h.apply(h.state.createPartitions("b", 5));
        h.registerAndUnfence(2);
        h.apply(h.state.reassignPartitions("b", 0, List.of(2, 3)));
        h.apply(h.state.electLeaders(ElectionType.PREFERRED, null));
        h.apply(h.state.deleteTopic("a"));
        h.failover(3, 11L);
        h.createTopic("a", 2, 2);

        assertThat(h.replayedOneByOne()).isEqualTo(h.image());
        MetadataImageBuilder batch = h.initial.toBuilder();
        for (int i = 0; i < h.log.size(); i++) {
            MetadataRecord decoded = MetadataRecordSerde.deserialize(MetadataRecordSerde.key(h.log.get(i)),
                MetadataRecordSerde.value(h.log.get(i)));
            batch.apply(decoded, h.offsets.get(i));
        }
        assertThat(batch.build()).isEqualTo(h.image());
    }

    @Test
    void aRecordThatDoesNotFitBreaksTheState() {
        // proves: after a replay failure the state refuses to go on (it must be rebuilt from the committed image)
        ControllerHarness h = ControllerHarness.started();
        assertThatThrownBy(() -> h.append(new FenceBroker(1, 1))).isInstanceOf(MetadataReplayException.class);
        assertThatThrownBy(h.state::image).isInstanceOf(IllegalStateException.class).hasMessageContaining("rebuild");
    }
}
