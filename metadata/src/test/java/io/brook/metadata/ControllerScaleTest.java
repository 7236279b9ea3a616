package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of partitions stay cheap: creating them, fencing a broker that leads a third of them,
 * replaying and diffing. Not a benchmark: the timeout only catches an accidental quadratic blow-up
 * (copying the topic per record would take minutes here).
 */
class ControllerScaleTest {

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void tenThousandPartitionsCreateFenceReplayAndDiff() {
        // proves: a 10,000-partition topic and a fencing that moves ~3,300 leaders go through state, replay and delta
        ControllerHarness h = ControllerHarness.withBrokers(
            ControllerHarness.config(Map.of(ControllerConfig.MAX_REPLICAS_PER_BROKER, 20_000)), 1, 2, 3);
        h.createTopic("big", 10_000, 3);
        for (int t = 0; t < 1_000; t++) {
            h.createTopic("small-" + t, 3, 2);
        }
        MetadataImage before = h.image();
        int ledByOne = before.partitionsLedBy(1).size();
        assertThat(ledByOne).isBetween(4_000, 4_400);

        ControllerResult<Void> fence = h.state.fenceBroker(1, h.nowMs);
        assertThat(fence.records()).hasSize(before.replicasOn(1).size() + 1); // one change per hosted partition
        h.apply(fence);
        MetadataImage after = h.image();
        assertThat(after.partitionsLedBy(1)).isEmpty();

        MetadataDelta forTwo = MetadataDelta.forBroker(before, after, 2);
        assertThat(forTwo.leaders().size() + forTwo.followers().size()).isGreaterThan(ledByOne / 2);
        assertThat(h.replayedOneByOneInBatches()).isEqualTo(after);
        assertThat(List.of(after.partitionCount())).containsExactly(13_000);
    }
}
