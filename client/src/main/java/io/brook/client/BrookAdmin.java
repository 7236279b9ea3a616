package io.brook.client;

import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.TopicDescription;
import io.brook.protocol.message.TopicListing;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Topic and consumer group administration over the clustered event bus ({@code brook.api.admin.*},
 * and the group coordinators' {@code brook.api.broker.<id>.group.*}). Failures are Kafka's exception
 * types ({@code TopicExistsException}, {@code InvalidTopicException},
 * {@code UnknownTopicOrPartitionException}, {@code InvalidConfigurationException},
 * {@code GroupIdNotFoundException}, {@code GroupNotEmptyException}, ...). The group calls find each
 * group's coordinator and retry a coordinator that is loading or moved until
 * {@code default.api.timeout.ms}. Thread-safe; futures complete on the admin's Vert.x context.
 */
public interface BrookAdmin extends AutoCloseable {

  Future<TopicMetadata> createTopic(String name, int partitions, short replicationFactor, Map<String, String> configs);

  /**
   * A topic placed by hand, as Kafka's {@code NewTopic(name, replicasAssignments)}: partition {@code i} on the
   * brokers of {@code replicaAssignment.get(i)}, the first its preferred leader. The controller checks the lists
   * as Kafka's does ({@code InvalidReplicaAssignmentException}).
   */
  Future<TopicMetadata> createTopic(String name, List<List<Integer>> replicaAssignment, Map<String, String> configs);

  /**
   * Raises a topic's partition count to {@code count}; {@code newReplicas} (null: the controller's placement)
   * places the new partitions, one list each, in order.
   */
  Future<TopicMetadata> createPartitions(String name, int count, List<List<Integer>> newReplicas);

  Future<Void> deleteTopic(String name);

  Future<List<TopicListing>> listTopics();

  Future<TopicDescription> describeTopic(String name);

  /** Sets and removes topic config overrides; answers the overrides after the change. */
  Future<Map<String, String>> alterConfigs(String name, Map<String, String> set, List<String> delete);

  /** Brokers and every topic's partition leaders. */
  Future<MetadataResponse> metadata();

  /**
   * Deletes the records of each partition below its offset (Kafka's {@code Admin.deleteRecords}; -1
   * means the partition's high watermark): the leader moves the partition's log start offset there and
   * answers once every in-sync replica has. Each partition's future gives its new low watermark (the
   * lowest log start offset of its in-sync replicas), or fails with its own error:
   * {@code OffsetOutOfRangeException} (above the high watermark, or below -1),
   * {@code UnknownTopicOrPartitionException}, {@code TopicAuthorizationException} (DELETE on the topic),
   * {@code PolicyViolationException} (a topic without {@code cleanup.policy=delete}), {@code TimeoutException}
   * (not confirmed by every in-sync replica by {@code default.api.timeout.ms}). A moved leader is followed.
   */
  Map<TopicPartition, Future<Long>> deleteRecords(Map<TopicPartition, Long> offsets);

  /**
   * The consumer groups of the cluster (protocol type {@code consumer}, and simple groups that only
   * commit offsets), as Kafka 4's {@code listGroups} types them ({@code GroupType.CLASSIC}): each
   * broker lists those it coordinates. Fails if a broker cannot answer.
   */
  Future<Collection<GroupListing>> listConsumerGroups();

  /** Each group's state, protocol, coordinator and members with their assignments; {@code GroupIdNotFoundException} for a group that does not exist. */
  Future<Map<String, ConsumerGroupDescription>> describeConsumerGroups(Collection<String> groupIds);

  /** Deletes Empty groups with their offsets; fails with the first group's error ({@code GroupNotEmptyException}, ...). */
  Future<Void> deleteConsumerGroups(Collection<String> groupIds);

  /** Every committed offset of the group. */
  Future<Map<TopicPartition, OffsetAndMetadata>> listConsumerGroupOffsets(String groupId);

  /**
   * Commits these offsets for the group outside group management (generation -1): only a group with
   * no members accepts it ({@code UnknownMemberIdException} otherwise). Resets a group to read again.
   */
  Future<Void> alterConsumerGroupOffsets(String groupId, Map<TopicPartition, OffsetAndMetadata> offsets);

  @Override
  void close();
}
