package io.brook.verticles.groups;

import io.brook.metadata.MetadataImage;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.storage.LogConfig;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.utils.Utils;

/**
 * The internal topic {@code __consumer_offsets}: its broker keys (Kafka's), which partition holds a
 * group, and how the topic is created on first use.
 */
public final class OffsetsTopic extends AbstractConfig {
  public static final String NAME = "__consumer_offsets";
  public static final String NUM_PARTITIONS = "offsets.topic.num.partitions";
  public static final String REPLICATION_FACTOR = "offsets.topic.replication.factor";
  public static final String SEGMENT_BYTES = "offsets.topic.segment.bytes";
  public static final String COMMIT_TIMEOUT_MS = "offsets.commit.timeout.ms";

  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(NUM_PARTITIONS, Type.INT, 50, Range.between(1, 10_000), Importance.HIGH,
          "Partitions of __consumer_offsets, fixed when the topic is created (on the first group request); a "
              + "group belongs to partition abs(hashCode(group.id)) % this, whose leader is its coordinator.")
      .define(REPLICATION_FACTOR, Type.SHORT, (short) 3, Range.atLeast(1), Importance.HIGH,
          "Replicas of each __consumer_offsets partition. Capped at the unfenced brokers when the topic is "
              + "created, so that one node works; raised to this by reassignment as soon as enough brokers run.")
      .define(SEGMENT_BYTES, Type.INT, 100 * 1024 * 1024, Range.atLeast(1024), Importance.LOW,
          "segment.bytes of __consumer_offsets: small, so that old commits can be removed soon.")
      .define(COMMIT_TIMEOUT_MS, Type.INT, 5_000, Range.atLeast(1), Importance.MEDIUM,
          "How long a coordinator's write (an offset commit, a new generation) may wait for every in-sync replica; "
              + "past it the request fails and the coordinator reloads its groups from the log.");

  public OffsetsTopic(Map<String, ?> values) {
    super(CONFIG_DEF, values, false);
  }

  public int commitTimeoutMs() {
    return getInt(COMMIT_TIMEOUT_MS);
  }

  public short replicationFactor() {
    return getShort(REPLICATION_FACTOR);
  }

  public int partitions() {
    return getInt(NUM_PARTITIONS);
  }

  /** Kafka's rule: the partition of {@code __consumer_offsets} whose leader coordinates the group. */
  public static int partitionFor(String groupId, int partitions) {
    return Utils.abs(groupId.hashCode()) % partitions;
  }

  /** The topic as this broker would create it now: the configured factor, capped at the unfenced brokers. */
  public CreateTopicRequest creation(MetadataImage image) {
    int brokers = Math.max(1, image.unfencedBrokers().size());
    short factor = (short) Math.min(replicationFactor(), brokers);
    // compacted: only the latest commit of each group and partition, and the latest group record, is kept
    return new CreateTopicRequest(NAME, partitions(), factor, Map.of(
        LogConfig.SEGMENT_BYTES_CONFIG, String.valueOf(getInt(SEGMENT_BYTES)),
        LogConfig.CLEANUP_POLICY_CONFIG, LogConfig.CLEANUP_POLICY_COMPACT));
  }
}
