package io.brook.replication;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplicationConfigTest {

    @Test
    void defaultsAreKafkas() {
        // proves: every key has Kafka's default where Kafka has the knob
        ReplicationConfig config = ReplicationConfig.defaults();
        assertThat(config.minInsyncReplicas()).isEqualTo(1);
        assertThat(config.replicaLagTimeMaxMs()).isEqualTo(30_000);
        assertThat(config.replicaFetchBackoffMs()).isEqualTo(1_000);
        assertThat(config.replicaSocketTimeoutMs()).isEqualTo(30_000);
        assertThat(config.replicaFetchIdleBackoffMs()).isZero();
        assertThat(config.alterPartitionRetryBackoffMs()).isEqualTo(2_000);
        assertThat(config.values()).containsKeys("min.insync.replicas", "replica.lag.time.max.ms");
    }

    @Test
    void overridesAreParsedAndBadOnesRefused() {
        // proves: string values parse, an unknown key and a value below the bound are refused
        assertThat(ReplicationConfig.fromMap(Map.of("min.insync.replicas", "2")).minInsyncReplicas()).isEqualTo(2);
        assertThatThrownBy(() -> ReplicationConfig.fromMap(Map.of("min.insync.replica", 2)))
            .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> ReplicationConfig.fromMap(Map.of("min.insync.replicas", 0)))
            .isInstanceOf(ConfigException.class);
    }
}
