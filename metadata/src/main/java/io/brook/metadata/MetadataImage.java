package io.brook.metadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * An immutable snapshot of the cluster metadata: the result of replaying the metadata log up to
 * {@link #lastOffset()}. Brokers answer metadata requests from it and diff two of them
 * ({@link MetadataDelta}) to learn which partitions to lead, follow or drop; the controller decides
 * from it.
 *
 * <p>Cost: {@link #apply} and {@link MetadataImageBuilder} copy only what a record touches. The
 * topic map is copied once per build; a changed topic's partition list is copied once per build;
 * unchanged topics and partitions are shared between images, so replaying a batch of records costs
 * O(topics + partitions of the changed topics), not O(all partitions) per record.
 *
 * <p>Thread-safe (immutable); may be handed between verticles as is.
 */
public final class MetadataImage {

    /** The image before the first record: no brokers, no topics, no controller. */
    public static final MetadataImage EMPTY = new MetadataImage(Collections.emptySortedMap(), Map.of(),
        ScramImage.EMPTY, AclImage.EMPTY, -1, 0, 0L, -1L);

    private final SortedMap<Integer, BrokerRegistration> brokers;
    private final Map<String, TopicImage> topics;
    private final ScramImage scram;
    private final AclImage acls;
    private final int controllerId;
    private final int controllerEpoch;
    private final long nextProducerId;
    private final long lastOffset;

    /** Takes ownership of the (already unmodifiable) maps; only {@link MetadataImageBuilder} calls it. */
    MetadataImage(SortedMap<Integer, BrokerRegistration> brokers, Map<String, TopicImage> topics,
                  ScramImage scram, AclImage acls, int controllerId, int controllerEpoch, long nextProducerId,
                  long lastOffset) {
        this.brokers = brokers;
        this.topics = topics;
        this.scram = scram;
        this.acls = acls;
        this.controllerId = controllerId;
        this.controllerEpoch = controllerEpoch;
        this.nextProducerId = nextProducerId;
        this.lastOffset = lastOffset;
    }

    /**
     * The image after {@code record}, written at {@code offset}. For a batch of records use
     * {@link #toBuilder()}, which copies the touched structures once for the whole batch.
     *
     * @throws MetadataReplayException if the record does not fit this image
     */
    public MetadataImage apply(MetadataRecord record, long offset) {
        return toBuilder().apply(record, offset).build();
    }

    /** A builder that replays records on top of this image. */
    public MetadataImageBuilder toBuilder() {
        return new MetadataImageBuilder(this);
    }

    /** The first producer id no block has given yet (0 before the first {@link ProducerIds}). */
    public long nextProducerId() {
        return nextProducerId;
    }

    /** Offset of the last record applied; -1 for the empty image. */
    public long lastOffset() {
        return lastOffset;
    }

    /** Node id of the controller of {@link #controllerEpoch()}; -1 before the first controller. */
    public int controllerId() {
        return controllerId;
    }

    /** The current controller epoch; 0 before the first controller. */
    public int controllerEpoch() {
        return controllerEpoch;
    }

    /** Every registered broker by node id, in node id order. */
    public SortedMap<Integer, BrokerRegistration> brokers() {
        return brokers;
    }

    public Optional<BrokerRegistration> broker(int nodeId) {
        return Optional.ofNullable(brokers.get(nodeId));
    }

    /** True if {@code nodeId} is registered and unfenced. */
    public boolean isUnfenced(int nodeId) {
        BrokerRegistration broker = brokers.get(nodeId);
        return broker != null && broker.state() == BrokerState.UNFENCED;
    }

    /** Node ids of the unfenced brokers, ascending. */
    public List<Integer> unfencedBrokers() {
        return brokers.values().stream().filter(b -> !b.fenced()).map(BrokerRegistration::nodeId).toList();
    }

    /**
     * True when {@code nodeId}'s replica of {@code partition} is offline: the broker is registered on a
     * data directory other than the one that replica's data was written to, so it cannot lead or count
     * as in sync until it has fetched the data again. Unknown directories (either side) count as online.
     */
    public boolean isOffline(PartitionRegistration partition, int nodeId) {
        String expected = partition.directory(nodeId);
        if (expected.isEmpty()) {
            return false;
        }
        String actual = broker(nodeId).map(BrokerRegistration::directoryId).orElse("");
        return !actual.isEmpty() && !actual.equals(expected);
    }

    /** The data directory id {@code nodeId} is registered on, empty when unknown. */
    public String directoryOf(int nodeId) {
        return broker(nodeId).map(BrokerRegistration::directoryId).orElse("");
    }

    /** The broker registered from the event bus node {@code eventBusNodeId} (for cluster-manager hints). */
    public Optional<BrokerRegistration> brokerOnEventBusNode(String eventBusNodeId) {
        return brokers.values().stream().filter(b -> b.eventBusNodeId().equals(eventBusNodeId)).findFirst();
    }

    /** The users' SCRAM credentials. */
    public ScramImage scram() {
        return scram;
    }

    /**
     * The ACLs, indexed for authorization. The same instance until a record changes them, so a
     * holder of a derived structure (an authorizer) may compare instances.
     */
    public AclImage acls() {
        return acls;
    }

    /** Every topic by name (unordered). */
    public Map<String, TopicImage> topics() {
        return topics;
    }

    public Optional<TopicImage> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    public Optional<TopicImage> topicById(Uuid topicId) {
        return topics.values().stream().filter(t -> t.topicId().equals(topicId)).findFirst();
    }

    /** Topic names in order: for deterministic iteration (the order records are generated in). */
    public List<String> topicNames() {
        List<String> names = new ArrayList<>(topics.keySet());
        Collections.sort(names);
        return names;
    }

    public Optional<PartitionRegistration> partition(String topic, int partition) {
        TopicImage image = topics.get(topic);
        return image == null ? Optional.empty() : image.partition(partition);
    }

    public Optional<PartitionRegistration> partition(TopicPartition tp) {
        return partition(tp.topic(), tp.partition());
    }

    /** Total number of partitions of all topics. */
    public int partitionCount() {
        return topics.values().stream().mapToInt(TopicImage::partitionCount).sum();
    }

    /** The partitions {@code nodeId} leads, in topic and partition order. */
    public Map<TopicPartition, PartitionRegistration> partitionsLedBy(int nodeId) {
        return partitionsWhere((tp, p) -> p.leader() == nodeId);
    }

    /** The partitions {@code nodeId} is a replica of (leader or follower), in topic and partition order. */
    public Map<TopicPartition, PartitionRegistration> replicasOn(int nodeId) {
        return partitionsWhere((tp, p) -> p.isReplica(nodeId));
    }

    /** How many partition replicas each broker holds (one pass over every partition). */
    public Map<Integer, Integer> replicaCounts() {
        Map<Integer, Integer> counts = new java.util.HashMap<>();
        for (TopicImage topic : topics.values()) {
            for (PartitionRegistration partition : topic.partitions()) {
                partition.replicas().forEach(id -> counts.merge(id, 1, Integer::sum));
            }
        }
        return counts;
    }

    /** The partitions {@code nodeId} follows (a replica, not the leader). */
    public Map<TopicPartition, PartitionRegistration> partitionsFollowedBy(int nodeId) {
        return partitionsWhere((tp, p) -> p.isReplica(nodeId) && p.leader() != nodeId);
    }

    /** The partitions that have no leader. */
    public Map<TopicPartition, PartitionRegistration> leaderlessPartitions() {
        return partitionsWhere((tp, p) -> !p.hasLeader());
    }

    /** Scans every partition (O(partitions)); for queries, not for per-record work. */
    public Map<TopicPartition, PartitionRegistration> partitionsWhere(
            BiPredicate<TopicPartition, PartitionRegistration> filter) {
        Map<TopicPartition, PartitionRegistration> result = new LinkedHashMap<>();
        for (String name : topicNames()) {
            List<PartitionRegistration> partitions = topics.get(name).partitions();
            for (int i = 0; i < partitions.size(); i++) {
                TopicPartition tp = new TopicPartition(name, i);
                if (filter.test(tp, partitions.get(i))) {
                    result.put(tp, partitions.get(i));
                }
            }
        }
        return result;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MetadataImage that
            && controllerId == that.controllerId && controllerEpoch == that.controllerEpoch
            && nextProducerId == that.nextProducerId
            && lastOffset == that.lastOffset && brokers.equals(that.brokers) && topics.equals(that.topics)
            && scram.equals(that.scram) && acls.equals(that.acls);
    }

    @Override
    public int hashCode() {
        return Objects.hash(brokers, topics, scram, acls, controllerId, controllerEpoch, nextProducerId, lastOffset);
    }

    @Override
    public String toString() {
        return "MetadataImage(lastOffset=" + lastOffset + ", controller=" + controllerId + "@" + controllerEpoch
            + ", brokers=" + brokers.values() + ", topics=" + new TreeMap<>(topics) + ", users="
            + scram.userNames() + ", acls=" + acls.size() + ")";
    }
}
