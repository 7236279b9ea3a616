package io.brook.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Controller config keys have Kafka's names and defaults, are bounded, and topic overrides win over defaults. */
class ControllerConfigTest {

    @Test
    void defaults() {
        // proves: the documented defaults (session 9 s, RF 1, 1 partition, min ISR 1, no unclean, rebalance on)
        ControllerConfig config = ControllerConfig.defaults();
        assertThat(config.brokerSessionTimeoutMs()).isEqualTo(9_000);
        assertThat(config.defaultReplicationFactor()).isEqualTo(1);
        assertThat(config.numPartitions()).isEqualTo(1);
        assertThat(config.minInsyncReplicas()).isEqualTo(1);
        assertThat(config.uncleanLeaderElectionEnable()).isFalse();
        assertThat(config.maxPartitionsPerTopic()).isEqualTo(10_000);
        assertThat(config.autoLeaderRebalanceEnable()).isTrue();
        assertThat(config.leaderImbalanceCheckIntervalMs()).isEqualTo(300_000);
        assertThat(config.autoLeaderRebalanceMaxElections()).isEqualTo(1_000);
    }

    @Test
    void valuesAreParsedAndBounded() {
        // proves: string values from a JSON file parse; out-of-range values are refused; other modules' keys are ignored
        ControllerConfig config = new ControllerConfig(Map.of("broker.session.timeout.ms", "4500",
            "unclean.leader.election.enable", "true", "data.dir", "/tmp/x"));
        assertThat(config.brokerSessionTimeoutMs()).isEqualTo(4_500);
        assertThat(config.uncleanLeaderElectionEnable()).isTrue();
        assertThatThrownBy(() -> new ControllerConfig(Map.of("broker.session.timeout.ms", 0)))
            .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new ControllerConfig(Map.of("num.partitions", 10_001)))
            .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new ControllerConfig(Map.of("min.insync.replicas", "many")))
            .isInstanceOf(ConfigException.class);
    }

    @Test
    void topicOverridesWinOverControllerDefaults() {
        // proves: min.insync.replicas and unclean.leader.election.enable read the topic override first
        TopicImage plain = new TopicImage("t", new Uuid(1, 1), 3, Map.of(), List.of());
        TopicImage overridden = new TopicImage("t", new Uuid(1, 1), 3,
            Map.of("min.insync.replicas", "2", "unclean.leader.election.enable", "TRUE"), List.of());
        ControllerConfig config = new ControllerConfig(Map.of("min.insync.replicas", 3));
        assertThat(TopicConfigRules.minInsyncReplicas(plain, config)).isEqualTo(3);
        assertThat(TopicConfigRules.minInsyncReplicas(overridden, config)).isEqualTo(2);
        assertThat(TopicConfigRules.uncleanLeaderElection(plain, config)).isFalse();
        assertThat(TopicConfigRules.uncleanLeaderElection(overridden, config)).isTrue();
    }
}
