package io.brook.storage;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogConfigTest {

    @Test
    void defaultsAreKafkas() {
        // proves: every key has Kafka's default
        LogConfig config = LogConfig.defaults();
        assertThat(config.segmentBytes()).isEqualTo(1024 * 1024 * 1024);
        assertThat(config.segmentMs()).isEqualTo(7L * 24 * 3600 * 1000);
        assertThat(config.segmentIndexBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(config.indexIntervalBytes()).isEqualTo(4096);
        assertThat(config.maxMessageBytes()).isEqualTo(1048588);
        assertThat(config.flushMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.flushMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.retentionMs()).isEqualTo(7L * 24 * 3600 * 1000);
        assertThat(config.retentionBytes()).isEqualTo(-1L);
        assertThat(config.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(config.fileDeleteDelayMs()).isEqualTo(60_000L);
    }

    @Test
    void overridesParseFromStringsAndTypedValues() {
        // proves: values arrive as strings (from describe/alter) or typed, and are validated
        LogConfig config = LogConfig.fromMap(Map.of("segment.bytes", "4096", "retention.ms", -1,
            "message.timestamp.type", "LogAppendTime", "flush.messages", 1));
        assertThat(config.segmentBytes()).isEqualTo(4096);
        assertThat(config.retentionMs()).isEqualTo(-1L);
        assertThat(config.flushMessages()).isEqualTo(1L);
        assertThat(config.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
    }

    @Test
    void unknownKeysAndBadValuesAreConfigExceptions() {
        // proves: typos and out-of-bounds values are refused at the boundary, with the key named
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("segment.byte", 1)))
            .isInstanceOf(ConfigException.class).hasMessageContaining("segment.byte");
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("segment.bytes", 13)))
            .isInstanceOf(ConfigException.class).hasMessageContaining("segment.bytes");
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("segment.bytes", "lots")))
            .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("retention.ms", -2)))
            .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("flush.messages", 0)))
            .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("message.timestamp.type", "WallClock")))
            .isInstanceOf(ConfigException.class);
    }

    @Test
    void cleanupPolicyTakesDeleteCompactOrBothAndCompactionKeysAreValidated() {
        // proves: Kafka's policies are accepted alone and together, anything else (unknown, empty, twice) is refused,
        // the compaction keys have Kafka's defaults and bounds, and max.compaction.lag.ms may not undercut the min
        assertThat(LogConfig.defaults().cleanupPolicy()).containsExactly("delete");
        assertThat(LogConfig.defaults().compact()).isFalse();
        assertThat(LogConfig.defaults().values()).containsEntry("cleanup.policy", "delete");
        LogConfig compact = LogConfig.fromMap(Map.of("cleanup.policy", "compact"));
        assertThat(compact.compact()).isTrue();
        assertThat(compact.delete()).isFalse();
        for (String both : new String[] {"compact,delete", "delete, compact"}) {
            LogConfig config = LogConfig.fromMap(Map.of("cleanup.policy", both));
            assertThat(config.compact()).isTrue();
            assertThat(config.delete()).isTrue();
        }
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("cleanup.policy", "shred")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("the policies are [delete, compact]");
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("cleanup.policy", "")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("cleanup.policy");
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("cleanup.policy", "compact,compact")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("twice");

        assertThat(LogConfig.defaults().minCleanableDirtyRatio()).isEqualTo(0.5);
        assertThat(LogConfig.defaults().deleteRetentionMs()).isEqualTo(86_400_000L);
        assertThat(LogConfig.defaults().minCompactionLagMs()).isZero();
        assertThat(LogConfig.defaults().maxCompactionLagMs()).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("min.cleanable.dirty.ratio", "1.5")))
            .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("delete.retention.ms", "-1")))
            .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("min.compaction.lag.ms", "100", "max.compaction.lag.ms", "50")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("max.compaction.lag.ms");
    }

    @Test
    void valuesListsEveryEffectiveSettingAsStrings() {
        // proves: describe gets all keys, defaults included
        Map<String, String> values = LogConfig.fromMap(Map.of("retention.bytes", 100L)).values();
        assertThat(values).containsEntry("retention.bytes", "100").containsEntry("segment.bytes", "1073741824")
            .containsEntry("message.timestamp.type", "CreateTime");
        assertThat(values.keySet()).isEqualTo(LogConfig.CONFIG_DEF.names());
    }

    @Test
    void withOverridesLayersOnTopOfExistingOverrides() {
        // proves: alter-config semantics: earlier overrides stay unless replaced
        LogConfig base = LogConfig.fromMap(Map.of("retention.ms", 1000L, "segment.bytes", 2048));
        LogConfig changed = base.withOverrides(Map.of("segment.bytes", 4096));
        assertThat(changed.retentionMs()).isEqualTo(1000L);
        assertThat(changed.segmentBytes()).isEqualTo(4096);
        assertThat(base.segmentBytes()).isEqualTo(2048);
        assertThat(changed).isEqualTo(LogConfig.fromMap(Map.of("retention.ms", 1000L, "segment.bytes", 4096)));
    }
}
