package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.junit.jupiter.api.Test;

/** Producer id blocks: consecutive, never overlapping, also after a controller failover and a replay from the log. */
class ProducerIdsTest {

    @Test
    void blocksFollowEachOtherAcrossBrokersAndFailover() {
        ControllerHarness h = ControllerHarness.withBrokers(1, 2);
        ProducerIds first = h.apply(h.state.allocateProducerIds(1, 1_000));
        ProducerIds second = h.apply(h.state.allocateProducerIds(2, 10));
        assertThat(first).isEqualTo(new ProducerIds(1, 0, 1_000));
        assertThat(second).isEqualTo(new ProducerIds(2, 1_000, 10));

        h.failover(2, 7L);
        ProducerIds third = h.apply(h.state.allocateProducerIds(1, 5));
        assertThat(third.firstProducerId()).as("the new controller continues after every committed block").isEqualTo(1_010);
        assertThat(h.image().nextProducerId()).isEqualTo(1_015);
    }

    @Test
    void onlyRegisteredBrokersGetBlocksOfBoundedSize() {
        ControllerHarness h = ControllerHarness.withBrokers(1);
        assertThatThrownBy(() -> h.state.allocateProducerIds(9, 10)).isInstanceOf(BrokerIdNotRegisteredException.class);
        assertThatThrownBy(() -> h.state.allocateProducerIds(1, 0)).hasMessageContaining("1 to 10000");
        assertThatThrownBy(() -> h.state.allocateProducerIds(1, 10_001)).hasMessageContaining("1 to 10000");
    }

    @Test
    void aBlockBelowTheNextFreeIdIsRefusedOnReplay() {
        MetadataImage image = MetadataImage.EMPTY.apply(new ProducerIds(1, 0, 100), 0);
        assertThatThrownBy(() -> image.apply(new ProducerIds(2, 50, 100), 1)).isInstanceOf(MetadataReplayException.class)
            .hasMessageContaining("given twice");
    }
}
