package io.brook.metadata;

import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * Replays metadata records on top of a base {@link MetadataImage} and builds the next image. This
 * is the one place where a record's meaning is defined.
 *
 * <p>Copy on write: the broker map and the topic map are copied on their first change, a topic's
 * partition list on the first change to that topic, the SCRAM credentials and the ACL set on their
 * first change; {@link #build()} freezes them once (and indexes the ACLs once, if they changed). Replaying a
 * batch through one builder therefore costs O(topics + partitions of the touched topics).
 *
 * <p>Replay is strict (see {@link MetadataReplayException}): offsets and epochs must go up, changes
 * must name existing brokers, topics and partitions, fences must carry the current broker epoch; a
 * credential or an ACL removed must exist, an ACL created must not (a credential is set whether or
 * not it existed: it is an upsert).
 *
 * <p>Single use and not thread-safe: one owner applies records, then calls {@link #build()} once.
 * Every rule checks before it changes anything, so a record refused with a
 * {@link MetadataReplayException} leaves the builder as it was: the caller may {@link #skip} it and go on.
 */
public final class MetadataImageBuilder {

    private final MetadataImage base;
    private TreeMap<Integer, BrokerRegistration> brokers;
    private HashMap<String, TopicImage> topics;
    private final Map<String, TopicDraft> drafts = new HashMap<>();
    private ScramImage.Draft scram;
    private TreeSet<Acl> acls;
    private int controllerId;
    private int controllerEpoch;
    private long nextProducerId;
    private long lastOffset;
    private boolean built;

    public MetadataImageBuilder(MetadataImage base) {
        this.base = base;
        this.controllerId = base.controllerId();
        this.controllerEpoch = base.controllerEpoch();
        this.nextProducerId = base.nextProducerId();
        this.lastOffset = base.lastOffset();
    }

    /**
     * Applies {@code record}, written at {@code offset} (greater than every offset applied so far).
     *
     * @throws MetadataReplayException if the record does not fit the image built so far
     */
    public MetadataImageBuilder apply(MetadataRecord record, long offset) {
        if (built) {
            throw new IllegalStateException("builder already built");
        }
        if (offset <= lastOffset) {
            throw new MetadataReplayException("offset " + offset + " of " + record + " is not after " + lastOffset);
        }
        try {
            dispatch(record);
        } catch (IllegalArgumentException e) {
            throw new MetadataReplayException("cannot apply " + record + " at offset " + offset + ": "
                + e.getMessage(), e);
        }
        lastOffset = offset;
        return this;
    }

    /**
     * Passes over an entry of the log at {@code offset} that is not a metadata record (the quorum's
     * own control records), so the image is as far along the log as its reader.
     */
    public MetadataImageBuilder skip(long offset) {
        if (built) {
            throw new IllegalStateException("builder already built");
        }
        if (offset <= lastOffset) {
            throw new MetadataReplayException("offset " + offset + " is not after " + lastOffset);
        }
        lastOffset = offset;
        return this;
    }

    /** Offset of the last record applied (or of the base image). */
    public long lastOffset() {
        return lastOffset;
    }

    /** The image with every applied record. The builder cannot be used afterwards. */
    public MetadataImage build() {
        if (built) {
            throw new IllegalStateException("builder already built");
        }
        built = true;
        SortedMap<Integer, BrokerRegistration> newBrokers = brokers == null
            ? base.brokers() : Collections.unmodifiableSortedMap(brokers);
        ScramImage newScram = scram == null ? base.scram() : scram.build();
        AclImage newAcls = acls == null ? base.acls() : AclImage.of(acls);
        return new MetadataImage(newBrokers, buildTopics(), newScram, newAcls, controllerId, controllerEpoch,
            nextProducerId, lastOffset);
    }

    private Map<String, TopicImage> buildTopics() {
        if (topics == null && drafts.isEmpty()) {
            return base.topics();
        }
        HashMap<String, TopicImage> result = topics != null ? topics : new HashMap<>(base.topics());
        for (TopicDraft draft : drafts.values()) {
            result.put(draft.name, draft.toImage());
        }
        return Collections.unmodifiableMap(result);
    }

    private void dispatch(MetadataRecord record) {
        switch (record.type()) {
            case REGISTER_BROKER -> applyRegister((RegisterBroker) record);
            case FENCE_BROKER -> applyFence((FenceBroker) record);
            case UNFENCE_BROKER -> applyUnfence((UnfenceBroker) record);
            case UNREGISTER_BROKER -> applyUnregister((UnregisterBroker) record);
            case CREATE_TOPIC -> applyCreateTopic((CreateTopic) record);
            case PARTITION -> applyPartition((Partition) record);
            case PARTITION_CHANGE -> applyPartitionChange((PartitionChange) record);
            case TOPIC_CONFIG -> draft(((TopicConfig) record).name()).configs = ((TopicConfig) record).configs();
            case REMOVE_TOPIC -> applyRemoveTopic((RemoveTopic) record);
            case CONTROLLER_EPOCH -> applyControllerEpoch((ControllerEpoch) record);
            case USER_SCRAM_CREDENTIAL -> mutableScram().put((UserScramCredential) record);
            case REMOVE_USER_SCRAM_CREDENTIAL -> applyRemoveScram((RemoveUserScramCredential) record);
            case CREATE_ACL -> applyCreateAcl((CreateAcl) record);
            case REMOVE_ACL -> applyRemoveAcl((RemoveAcl) record);
            case PRODUCER_IDS -> applyProducerIds((ProducerIds) record);
            default -> throw new IllegalArgumentException("no replay rule for " + record.type());
        }
    }

    private void applyRegister(RegisterBroker record) {
        BrokerRegistration existing = brokersView().get(record.nodeId());
        if (existing != null && record.brokerEpoch() <= existing.brokerEpoch()) {
            throw new IllegalArgumentException("broker epoch " + record.brokerEpoch()
                + " is not newer than the registered " + existing.brokerEpoch());
        }
        mutableBrokers().put(record.nodeId(), BrokerRegistration.from(record));
    }

    private void applyFence(FenceBroker record) {
        BrokerRegistration broker = requireBroker(record.nodeId(), record.brokerEpoch());
        if (broker.state() == BrokerState.FENCED) {
            throw new IllegalArgumentException("broker " + record.nodeId() + " is already fenced");
        }
        mutableBrokers().put(record.nodeId(), broker.withState(BrokerState.FENCED));
    }

    private void applyUnfence(UnfenceBroker record) {
        BrokerRegistration broker = requireBroker(record.nodeId(), record.brokerEpoch());
        if (broker.state() != BrokerState.REGISTERED) {
            throw new IllegalArgumentException("broker " + record.nodeId() + " is " + broker.state()
                + ", only a REGISTERED broker is unfenced");
        }
        mutableBrokers().put(record.nodeId(), broker.withState(BrokerState.UNFENCED));
    }

    private void applyUnregister(UnregisterBroker record) {
        if (!brokersView().containsKey(record.nodeId())) {
            throw new IllegalArgumentException("unknown broker " + record.nodeId());
        }
        mutableBrokers().remove(record.nodeId());
    }

    private BrokerRegistration requireBroker(int nodeId, long brokerEpoch) {
        BrokerRegistration broker = brokersView().get(nodeId);
        if (broker == null) {
            throw new IllegalArgumentException("unknown broker " + nodeId);
        }
        if (broker.brokerEpoch() != brokerEpoch) {
            throw new IllegalArgumentException("broker " + nodeId + " is in epoch " + broker.brokerEpoch()
                + ", not " + brokerEpoch);
        }
        return broker;
    }

    private void applyCreateTopic(CreateTopic record) {
        try {
            Topic.validate(record.name()); // a name becomes a directory name: never "..", never a '/'
        } catch (InvalidTopicException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (topicExists(record.name())) {
            throw new IllegalArgumentException("topic " + record.name() + " already exists");
        }
        if (topicIdInUse(record.topicId())) {
            throw new IllegalArgumentException("topic id " + record.topicId() + " is already in use");
        }
        drafts.put(record.name(), new TopicDraft(record.name(), record.topicId(), record.replicationFactor(),
            record.configs(), new ArrayList<>()));
    }

    private void applyPartition(Partition record) {
        TopicDraft draft = draft(record.topic());
        if (record.partition() != draft.partitions.size()) {
            throw new IllegalArgumentException("partition " + record.partition() + " of " + record.topic()
                + " is not the next one (" + draft.partitions.size() + ")");
        }
        draft.partitions.add(PartitionRegistration.from(record));
    }

    private void applyPartitionChange(PartitionChange record) {
        TopicDraft draft = draft(record.topic());
        if (record.partition() >= draft.partitions.size()) {
            throw new IllegalArgumentException("unknown partition " + record.topic() + "-" + record.partition());
        }
        PartitionRegistration current = draft.partitions.get(record.partition());
        PartitionRegistration next = PartitionRegistration.from(record);
        if (next.leaderEpoch() < current.leaderEpoch() || next.partitionEpoch() <= current.partitionEpoch()) {
            throw new IllegalArgumentException("epochs go backwards: leader epoch " + current.leaderEpoch() + " -> "
                + next.leaderEpoch() + ", partition epoch " + current.partitionEpoch() + " -> "
                + next.partitionEpoch());
        }
        draft.partitions.set(record.partition(), next);
    }

    private void applyRemoveTopic(RemoveTopic record) {
        if (!topicExists(record.name())) {
            throw new IllegalArgumentException("unknown topic " + record.name());
        }
        drafts.remove(record.name());
        mutableTopics().remove(record.name());
    }

    private void applyProducerIds(ProducerIds record) {
        if (record.firstProducerId() < nextProducerId) {
            throw new MetadataReplayException("producer id block " + record.firstProducerId() + " starts below the next "
                + "free id " + nextProducerId + ": ids would be given twice");
        }
        nextProducerId = record.nextProducerId();
    }

    private void applyControllerEpoch(ControllerEpoch record) {
        if (record.epoch() <= controllerEpoch) {
            throw new IllegalArgumentException("controller epoch " + record.epoch() + " is not newer than "
                + controllerEpoch);
        }
        controllerId = record.controllerId();
        controllerEpoch = record.epoch();
    }

    private void applyRemoveScram(RemoveUserScramCredential record) {
        boolean exists = scram != null ? scram.contains(record.name(), record.mechanism())
            : base.scram().credential(record.name(), record.mechanism()).isPresent();
        if (!exists) {
            throw new IllegalArgumentException("user " + record.name() + " has no "
                + record.mechanism().mechanismName() + " credential");
        }
        mutableScram().remove(record.name(), record.mechanism());
    }

    private void applyCreateAcl(CreateAcl record) {
        if (aclsView().contains(record.acl())) {
            throw new IllegalArgumentException("ACL already exists: " + record.acl());
        }
        mutableAcls().add(record.acl());
    }

    private void applyRemoveAcl(RemoveAcl record) {
        if (!aclsView().contains(record.acl())) {
            throw new IllegalArgumentException("unknown ACL " + record.acl());
        }
        mutableAcls().remove(record.acl());
    }

    private ScramImage.Draft mutableScram() {
        if (scram == null) {
            scram = base.scram().toDraft();
        }
        return scram;
    }

    private java.util.Set<Acl> aclsView() {
        return acls != null ? acls : base.acls().acls();
    }

    private TreeSet<Acl> mutableAcls() {
        if (acls == null) {
            acls = base.acls().toDraft();
        }
        return acls;
    }

    private Map<Integer, BrokerRegistration> brokersView() {
        return brokers != null ? brokers : base.brokers();
    }

    private TreeMap<Integer, BrokerRegistration> mutableBrokers() {
        if (brokers == null) {
            brokers = new TreeMap<>(base.brokers());
        }
        return brokers;
    }

    private Map<String, TopicImage> topicsView() {
        return topics != null ? topics : base.topics();
    }

    private HashMap<String, TopicImage> mutableTopics() {
        if (topics == null) {
            topics = new HashMap<>(base.topics());
        }
        return topics;
    }

    private boolean topicExists(String name) {
        return drafts.containsKey(name) || topicsView().containsKey(name);
    }

    private boolean topicIdInUse(Uuid topicId) {
        return drafts.values().stream().anyMatch(d -> d.topicId.equals(topicId))
            || topicsView().values().stream().anyMatch(t -> t.topicId().equals(topicId));
    }

    /** The mutable draft of an existing topic, copying its partition list on first touch. */
    private TopicDraft draft(String name) {
        TopicDraft draft = drafts.get(name);
        if (draft == null) {
            TopicImage topic = topicsView().get(name);
            if (topic == null) {
                throw new IllegalArgumentException("unknown topic " + name);
            }
            draft = new TopicDraft(name, topic.topicId(), topic.replicationFactor(), topic.configs(),
                new ArrayList<>(topic.partitions()));
            drafts.put(name, draft);
        }
        return draft;
    }

    /** A topic being changed by this builder. */
    private static final class TopicDraft {
        final String name;
        final Uuid topicId;
        final int replicationFactor;
        Map<String, String> configs;
        final List<PartitionRegistration> partitions;

        TopicDraft(String name, Uuid topicId, int replicationFactor, Map<String, String> configs,
                   List<PartitionRegistration> partitions) {
            this.name = name;
            this.topicId = topicId;
            this.replicationFactor = replicationFactor;
            this.configs = configs;
            this.partitions = partitions;
        }

        TopicImage toImage() {
            return new TopicImage(name, topicId, replicationFactor, configs, partitions);
        }
    }
}
