package io.brook.metadata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.Topic;

/**
 * Topic requests: create (with placement), delete, alter configs, add partitions. Rules as Kafka's:
 * names per {@link Topic#validate}, no two names that collide once '.' and '_' are unified, the
 * metadata log's name reserved; 0 or -1 partitions / replication factor mean the configured
 * default; the replication factor may not exceed the unfenced brokers; configs are validated in full
 * after every change. A manual replica assignment replaces the placement, checked by
 * {@link ManualAssignments}; max.replicas.per.broker applies to both. Controller thread only (it draws
 * from the controller's {@link Random}).
 */
final class TopicControl {

    private final ControllerConfig config;
    private final Random random;
    private final ReplicaPlacer placer;
    private final TopicConfigValidator validator;

    TopicControl(ControllerConfig config, Random random, TopicConfigValidator validator) {
        this.config = config;
        this.random = random;
        this.placer = new ReplicaPlacer(random);
        this.validator = validator;
    }

    /** {@code manual}: partition to replicas, used verbatim; empty or null for the placer's. */
    ControllerResult<CreateTopicReply> create(MetadataImage image, String name, int partitions,
                                              int replicationFactor, Map<String, String> configs,
                                              Map<Integer, List<Integer>> manual) {
        throwIfInvalidNewName(image, name);
        List<List<Integer>> assigned = manual == null || manual.isEmpty() ? null
            : assigned(image, partitions, replicationFactor, manual);
        int partitionCount = assigned != null ? assigned.size() : resolvePartitions(partitions);
        int rf = assigned != null ? assigned.get(0).size() : resolveReplicationFactor(image, replicationFactor);
        Map<String, String> overrides = configs == null ? Map.of() : configs;
        TopicConfigRules.validate(overrides, validator);
        Uuid topicId = newTopicId(image);
        List<MetadataRecord> records = new ArrayList<>(partitionCount + 1);
        records.add(new CreateTopic(name, topicId, rf, overrides));
        List<List<Integer>> assignments = assigned != null ? assigned
            : placer.place(image.unfencedBrokers(), 0, partitionCount, rf);
        ControllerChecks.requireRoomOnBrokers(image, config.maxReplicasPerBroker(), assignments);
        addPartitionRecords(image, records, name, 0, assignments);
        return ControllerResult.of(records, new CreateTopicReply(topicId, partitionCount, rf));
    }

    ControllerResult<Uuid> delete(MetadataImage image, String name) {
        TopicImage topic = ControllerChecks.requireTopic(image, name);
        return ControllerResult.of(List.of(new RemoveTopic(name)), topic.topicId());
    }

    ControllerResult<Map<String, String>> alterConfigs(MetadataImage image, String name, Map<String, String> set,
                                                       Collection<String> delete) {
        TopicImage topic = ControllerChecks.requireTopic(image, name);
        Map<String, String> toSet = set == null ? Map.of() : set;
        Collection<String> toDelete = delete == null ? List.of() : delete;
        if (toDelete.stream().anyMatch(toSet::containsKey)) {
            throw new InvalidRequestException("a config key is both set and deleted: " + toSet.keySet() + ", " + toDelete);
        }
        for (String key : toDelete) {
            TopicConfigRules.throwIfUnknownKey(key, validator);
        }
        Map<String, String> merged = new HashMap<>(topic.configs());
        toSet.forEach((key, value) -> merged.put(key, value)); // null values are refused by validate
        toDelete.forEach(merged::remove);
        TopicConfigRules.validate(merged, validator);
        if (merged.equals(topic.configs())) {
            return ControllerResult.empty(topic.configs());
        }
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new TopicConfig(name, merged));
        TopicImage altered = new TopicImage(name, topic.topicId(), topic.replicationFactor(), merged, topic.partitions());
        if (!TopicConfigRules.uncleanLeaderElection(topic, config)
                && TopicConfigRules.uncleanLeaderElection(altered, config)) {
            records.addAll(PartitionElection.leaderless(image, altered, true)); // Kafka elects at once, too
        }
        return ControllerResult.of(records, Map.copyOf(merged));
    }

    /** {@code manual}: one replica list per added partition, used verbatim; null for the placer's. */
    ControllerResult<Integer> createPartitions(MetadataImage image, String name, int newCount,
                                               List<List<Integer>> manual) {
        TopicImage topic = ControllerChecks.requireTopic(image, name);
        int current = topic.partitionCount();
        if (newCount <= current) {
            throw new InvalidPartitionsException("Topic currently has " + current + " partitions, which is higher "
                + "than or equal to the requested " + newCount + ".");
        }
        if (newCount > config.maxPartitionsPerTopic()) {
            throw new InvalidPartitionsException("Number of partitions must be at most "
                + config.maxPartitionsPerTopic() + ", was " + newCount);
        }
        List<List<Integer>> assignments;
        if (manual != null) {
            assignments = ManualAssignments.forNewPartitions(image, topic, current, manual, newCount - current);
        } else {
            List<Integer> brokers = image.unfencedBrokers();
            throwIfTooFewBrokers(topic.replicationFactor(), brokers.size());
            assignments = placer.place(brokers, current, newCount - current, topic.replicationFactor());
        }
        List<MetadataRecord> records = new ArrayList<>(newCount - current);
        ControllerChecks.requireRoomOnBrokers(image, config.maxReplicasPerBroker(), assignments);
        addPartitionRecords(image, records, name, current, assignments);
        return ControllerResult.of(records, newCount);
    }

    /**
     * New partitions: every unfenced replica in sync (empty logs), the first of them leading, as Kafka's
     * controller (a placed partition has only unfenced replicas; a manual one has at least one, and its
     * fenced replicas join the ISR once they fetch); each replica recorded in its broker's current directory.
     */
    private static void addPartitionRecords(MetadataImage image, List<MetadataRecord> records, String topic,
                                            int firstPartition, List<List<Integer>> assignments) {
        for (int i = 0; i < assignments.size(); i++) {
            List<Integer> replicas = assignments.get(i);
            List<Integer> isr = replicas.stream().filter(image::isUnfenced).toList();
            List<String> directories = replicas.stream().map(image::directoryOf).toList();
            records.add(new Partition(topic, firstPartition + i, replicas, isr, isr.get(0), 0, 0,
                directories.stream().allMatch(String::isEmpty) ? List.of() : directories));
        }
    }

    /**
     * A new topic's manual assignment, checked; the partition count and replication factor must be left to it
     * (0 or -1), as Kafka's CreateTopics requires.
     */
    private List<List<Integer>> assigned(MetadataImage image, int partitions, int replicationFactor,
                                         Map<Integer, List<Integer>> manual) {
        if (!isUnset(partitions) || !isUnset(replicationFactor)) {
            throw new InvalidRequestException("Both numPartitions or replicationFactor and replicasAssignments were "
                + "set. Both cannot be used at the same time.");
        }
        return ManualAssignments.forNewTopic(image, manual, config.maxPartitionsPerTopic());
    }

    private static boolean isUnset(int countOrFactor) {
        return countOrFactor == 0 || countOrFactor == -1;
    }

    /** The internal topics a broker creates on first use. */
    private static final java.util.Set<String> BROOK_CREATES = java.util.Set.of("__consumer_offsets");

    private static void throwIfInvalidNewName(MetadataImage image, String name) {
        if (name == null) {
            throw new InvalidTopicException("topic name is missing");
        }
        Topic.validate(name); // InvalidTopicException with Kafka's message
        // Brook's internal topics (io.brook.protocol.InternalTopics): only those Brook creates itself, asked by a
        // broker on the controller's internal address (clients are refused at the edge)
        if (name.startsWith("__") && !BROOK_CREATES.contains(name)) {
            throw new InvalidTopicException("Topic name '" + name + "' is reserved: names starting with '__' are "
                + "Brook's internal topics");
        }
        if (image.topics().containsKey(name)) {
            throw new TopicExistsException("Topic '" + name + "' already exists");
        }
        if (Topic.hasCollisionChars(name)) {
            for (String existing : image.topics().keySet()) {
                if (Topic.hasCollision(name, existing)) {
                    throw new InvalidTopicException("Topic '" + name + "' collides with existing topic: " + existing);
                }
            }
        }
    }

    private int resolvePartitions(int partitions) {
        int count = isUnset(partitions) ? config.numPartitions() : partitions;
        if (count < 1 || count > config.maxPartitionsPerTopic()) {
            throw new InvalidPartitionsException("Number of partitions must be between 1 and "
                + config.maxPartitionsPerTopic() + ", was " + partitions);
        }
        return count;
    }

    private int resolveReplicationFactor(MetadataImage image, int replicationFactor) {
        int rf = isUnset(replicationFactor) ? config.defaultReplicationFactor() : replicationFactor;
        if (rf < 1) {
            throw new InvalidReplicationFactorException("Replication factor must be at least 1, was " + replicationFactor);
        }
        throwIfTooFewBrokers(rf, image.unfencedBrokers().size());
        return rf;
    }

    private static void throwIfTooFewBrokers(int replicationFactor, int unfencedBrokers) {
        if (replicationFactor > unfencedBrokers) {
            throw new InvalidReplicationFactorException("Replication factor: " + replicationFactor
                + " larger than available brokers: " + unfencedBrokers + ".");
        }
    }

    /** A fresh id, drawn from the seeded random (deterministic), never reserved or in use. */
    private Uuid newTopicId(MetadataImage image) {
        while (true) {
            Uuid id = new Uuid(random.nextLong(), random.nextLong());
            if (!Uuid.RESERVED.contains(id) && !id.toString().startsWith("-") && image.topicById(id).isEmpty()) {
                return id;
            }
        }
    }
}
