package io.brook.metadata;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * The active controller's state machine, in the style of Kafka's QuorumController: every request
 * method is handed the time ({@code nowMs}) and returns a {@link ControllerResult} (records to
 * append + the response to send once they commit) or throws one of Kafka's typed errors; it changes
 * nothing. State changes only by {@link #replay} of records, so a broker that replays the same log
 * builds the same {@link MetadataImage}. Decisions are deterministic given the image, the request
 * sequence and the seeded {@link Random} (placement, topic ids).
 *
 * <p><b>Contract with the caller</b> (the controller verticle): replay every record of a result, in
 * order, at the offsets the log gives them, before calling the next request method; the simplest
 * way is to replay them as they are appended (Kafka's "replay on append"). Request methods rely on
 * it: a registration's broker epoch is the offset its record will get ({@code lastOffset + 1 + its
 * index in the result}), and two requests must not both see a topic as free. If an append fails,
 * this object is stale: discard it and build a new one from the committed image. Results with no
 * records can be answered at once.
 *
 * <p><b>Soft state</b> (not in the log): broker sessions (last heartbeat), this controller's own id
 * and epoch, the next leader-rebalance check. A new controller starts with fresh sessions for
 * every broker. Request methods refuse with {@link NotControllerException} until this state's own
 * {@link ControllerEpoch} has been replayed, and again once a newer one has.
 *
 * <p><b>Thread ownership</b>: one thread (the controller verticle's event loop) owns this object;
 * it is not thread-safe. The images it hands out are immutable and may be shared.
 */
public final class ControllerState {

    private final BrokerSessions sessions = new BrokerSessions();
    private final BrokerControl brokers;
    private final TopicControl topics;
    private final PartitionControl partitions;
    private final ReassignmentControl reassignments;
    private final ScramControl scram = new ScramControl();
    private final AclControl acls = new AclControl();
    private MetadataImage image;
    private MetadataImageBuilder pending;
    private boolean failed;
    private int ownControllerId = -1;
    private int ownEpoch = -1;

    /**
     * @param image the committed image this controller starts from
     * @param random seeded source for placement and topic ids (seed it for reproducible tests)
     * @param topicConfigValidator validates topic configs other than the controller's own keys
     */
    public ControllerState(MetadataImage image, ControllerConfig config, Random random,
                           TopicConfigValidator topicConfigValidator) {
        this.image = Objects.requireNonNull(image, "image");
        Objects.requireNonNull(config, "config");
        this.brokers = new BrokerControl(config, sessions);
        this.topics = new TopicControl(config, Objects.requireNonNull(random, "random"),
            Objects.requireNonNull(topicConfigValidator, "topicConfigValidator"));
        this.partitions = new PartitionControl(config);
        this.reassignments = new ReassignmentControl(config);
    }

    /** The image with every record replayed so far (committed or only appended). */
    public MetadataImage image() {
        throwIfFailed();
        if (pending != null) {
            image = pending.build();
            pending = null;
        }
        return image;
    }

    /**
     * Applies a record appended at {@code offset}. Records are batched into the next image, which is
     * built when a request or {@link #image()} next needs it.
     *
     * @throws MetadataReplayException if the record does not fit; this state is unusable afterwards
     */
    public void replay(MetadataRecord record, long offset) {
        throwIfFailed();
        if (pending == null) {
            pending = image.toBuilder();
        }
        try {
            pending.apply(record, offset);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
        if (record instanceof UnregisterBroker unregister) {
            sessions.remove(unregister.nodeId());
        }
    }

    /**
     * Passes over an entry at {@code offset} that is not a metadata record (the quorum's voter sets,
     * which the controller appends too), so the offsets this state predicts, broker epochs among them,
     * stay the log's.
     */
    public void skip(long offset) {
        throwIfFailed();
        if (pending == null) {
            pending = image.toBuilder();
        }
        pending.skip(offset);
    }

    /** True once this state's own controller epoch is the image's current one. */
    public boolean isActive() {
        MetadataImage current = image();
        return ownEpoch > 0 && current.controllerEpoch() == ownEpoch && current.controllerId() == ownControllerId;
    }

    /**
     * The first record of a new controller; the verticle picks {@code epoch} (higher than any before).
     *
     * @throws NotControllerException if {@code epoch} is not newer than the image's
     */
    public ControllerResult<Void> newControllerEpoch(int controllerId, int epoch) {
        ControllerChecks.requireNodeId(controllerId);
        if (epoch <= image().controllerEpoch()) {
            throw new NotControllerException("controller epoch " + epoch + " is not newer than the current "
                + image().controllerEpoch() + " (controller " + image().controllerId() + ")");
        }
        ownControllerId = controllerId;
        ownEpoch = epoch;
        return ControllerResult.of(List.of(new ControllerEpoch(controllerId, epoch)), null);
    }

    /**
     * Registers (or re-registers) a broker: {@code RegisterBroker} with a new broker epoch (the record's
     * offset, also the response), preceded by the fencing of the broker's previous incarnation if it
     * was unfenced. The broker stays fenced until a heartbeat shows it caught up.
     *
     * @throws org.apache.kafka.common.errors.DuplicateBrokerRegistrationException if another live
     *     process (other event bus node, session not expired) holds the node id
     */
    public ControllerResult<Long> registerBroker(int nodeId, String host, int httpPort, int bridgePort,
                                                 String eventBusNodeId, long nowMs) {
        return registerBroker(nodeId, host, httpPort, bridgePort, eventBusNodeId, "", "", nowMs);
    }

    /**
     * As above, on data directory {@code directoryId} at path {@code logDir} (empty: unknown). Replicas
     * recorded in another directory of this broker are offline from this registration on: they do not
     * lead or count as in sync until they have fetched their data again.
     */
    public ControllerResult<Long> registerBroker(int nodeId, String host, int httpPort, int bridgePort,
                                                 String eventBusNodeId, String directoryId, String logDir,
                                                 long nowMs) {
        return registerBroker(nodeId, host, httpPort, bridgePort, eventBusNodeId, directoryId, logDir, "", -1, nowMs);
    }

    /** As above, with the host and port its Kafka listener advertises ("" and -1 without one). */
    public ControllerResult<Long> registerBroker(int nodeId, String host, int httpPort, int bridgePort,
                                                 String eventBusNodeId, String directoryId, String logDir,
                                                 String kafkaHost, int kafkaPort, long nowMs) {
        return registerBroker(nodeId, host, httpPort, bridgePort, eventBusNodeId, directoryId, logDir, kafkaHost,
            kafkaPort, "", nowMs);
    }

    /** As above, with every Kafka listener it advertises ({@link RegisterBroker#kafkaListeners}). */
    public ControllerResult<Long> registerBroker(int nodeId, String host, int httpPort, int bridgePort,
                                                 String eventBusNodeId, String directoryId, String logDir,
                                                 String kafkaHost, int kafkaPort, String kafkaListeners, long nowMs) {
        requireActive();
        return brokers.register(image(), nodeId, host, httpPort, bridgePort, eventBusNodeId, directoryId, logDir,
            kafkaHost, kafkaPort, kafkaListeners, nowMs);
    }

    /**
     * A broker's heartbeat: renews its session; unfences it once {@code metadataOffset} (the last metadata
     * offset it applied) reaches its registration, electing it leader of leaderless partitions it can lead.
     *
     * @throws org.apache.kafka.common.errors.StaleBrokerEpochException for an old broker epoch
     * @throws org.apache.kafka.common.errors.BrokerIdNotRegisteredException for an unknown node
     */
    public ControllerResult<HeartbeatReply> brokerHeartbeat(int nodeId, long brokerEpoch, long metadataOffset,
                                                           long nowMs) {
        requireActive();
        return brokers.heartbeat(image(), nodeId, brokerEpoch, metadataOffset, nowMs);
    }

    /** Fences every unfenced broker silent for longer than the session timeout; responds with their ids. */
    public ControllerResult<List<Integer>> tick(long nowMs) {
        requireActive();
        return brokers.tick(image(), nowMs);
    }

    /**
     * Fences {@code nodeId} at once (cluster-manager "node left" hint, mapped to a node id with
     * {@link MetadataImage#brokerOnEventBusNode}); nothing if it is already fenced. {@code nowMs} is not
     * used today (the hint needs no clock); it keeps every liveness request time-stamped.
     */
    public ControllerResult<Void> fenceBroker(int nodeId, long nowMs) {
        requireActive();
        return brokers.fence(image(), nodeId);
    }

    /** Decommissions {@code nodeId}: moves its leaderships and ISR memberships, then forgets it. */
    public ControllerResult<Void> unregisterBroker(int nodeId) {
        return unregisterBroker(nodeId, true);
    }

    /**
     * Decommissions {@code nodeId}; unless {@code force}, refused while it still hosts partition replicas (they
     * would stay listed on a broker that no longer exists, under-replicated until reassigned).
     */
    public ControllerResult<Void> unregisterBroker(int nodeId, boolean force) {
        requireActive();
        if (!force) {
            BrokerControl.throwIfHostsReplicas(image(), nodeId);
        }
        return brokers.unregister(image(), nodeId);
    }

    /** Brokers with state and heartbeat age, and the controller. A read: no records. */
    public ControllerView describeCluster(long nowMs) {
        return brokers.describe(image(), nowMs);
    }

    /**
     * Creates a topic: {@code CreateTopic} + one {@code Partition} per partition, replicas placed over the
     * unfenced brokers. 0 or -1 partitions / replication factor take the configured defaults.
     * {@code nowMs} is not used today (placement needs no clock).
     */
    public ControllerResult<CreateTopicReply> createTopic(String name, int partitionCount, int replicationFactor,
                                                          Map<String, String> configs, long nowMs) {
        return createTopic(name, partitionCount, replicationFactor, configs, Map.of(), nowMs);
    }

    /**
     * Creates a topic with a manual replica assignment, {@code assignments} (partition to its replicas, the
     * first the preferred leader), used verbatim; empty, the placement above. With one, the partition count
     * and replication factor must be 0 or -1 ({@code InvalidRequestException}); an assignment that does not
     * hold (a gap in the partitions, lists of different lengths or empty, a broker twice or not registered,
     * no unfenced broker in a list) is an {@code InvalidReplicaAssignmentException}. Each partition's ISR is
     * its unfenced replicas, the first of them leading.
     */
    public ControllerResult<CreateTopicReply> createTopic(String name, int partitionCount, int replicationFactor,
                                                          Map<String, String> configs,
                                                          Map<Integer, List<Integer>> assignments, long nowMs) {
        requireActive();
        return topics.create(image(), name, partitionCount, replicationFactor, configs, assignments);
    }

    /** Deletes a topic; responds with its id. */
    public ControllerResult<Uuid> deleteTopic(String name) {
        requireActive();
        return topics.delete(image(), name);
    }

    /** Sets and deletes config overrides; responds with the topic's new override map. */
    public ControllerResult<Map<String, String>> alterConfigs(String name, Map<String, String> set,
                                                              Collection<String> delete) {
        requireActive();
        return topics.alterConfigs(image(), name, set, delete);
    }

    /**
     * The next block of {@code size} producer ids, for broker {@code brokerId} to hand out; responds with the
     * block. It starts where the last block committed ended, so no id is ever given twice.
     *
     * @throws org.apache.kafka.common.errors.BrokerIdNotRegisteredException if the broker is not registered
     */
    public ControllerResult<ProducerIds> allocateProducerIds(int brokerId, int size) {
        requireActive();
        if (image().broker(brokerId).isEmpty()) {
            throw new org.apache.kafka.common.errors.BrokerIdNotRegisteredException("Broker " + brokerId
                + " is not registered: it gets producer ids once it is");
        }
        if (size < 1 || size > MAX_PRODUCER_ID_BLOCK) {
            throw new org.apache.kafka.common.errors.InvalidRequestException("A producer id block holds 1 to "
                + MAX_PRODUCER_ID_BLOCK + " ids, not " + size);
        }
        ProducerIds block = new ProducerIds(brokerId, image().nextProducerId(), size);
        return ControllerResult.of(List.of(block), block);
    }

    /** The largest block of producer ids one request may take. */
    public static final int MAX_PRODUCER_ID_BLOCK = 10_000;

    /** Adds partitions up to {@code newCount}, placed like a new topic's; responds with the new count. */
    public ControllerResult<Integer> createPartitions(String name, int newCount) {
        return createPartitions(name, newCount, null);
    }

    /**
     * Adds partitions up to {@code newCount} with {@code assignments}, one replica list per new partition
     * (null: placed like a new topic's), checked as a new topic's manual assignment, each list of the topic's
     * replication factor, and as many lists as partitions added ({@code InvalidReplicaAssignmentException}).
     */
    public ControllerResult<Integer> createPartitions(String name, int newCount, List<List<Integer>> assignments) {
        requireActive();
        return topics.createPartitions(image(), name, newCount, assignments);
    }

    /**
     * An ISR change proposed by the partition's leader, which saw {@code leaderEpoch} and
     * {@code partitionEpoch}; responds with the partition's new state (unchanged if the ISR is the same).
     *
     * @throws org.apache.kafka.common.errors.FencedLeaderEpochException if the leader epoch is old
     * @throws org.apache.kafka.common.errors.InvalidUpdateVersionException if the partition epoch is old
     */
    public ControllerResult<PartitionRegistration> alterPartition(String topic, int partition, int leaderId,
                                                                  int leaderEpoch, int partitionEpoch,
                                                                  List<Integer> newIsr) {
        requireActive();
        return partitions.alterPartition(image(), topic, partition, leaderId, leaderEpoch, partitionEpoch, newIsr);
    }

    /**
     * Preferred election (the first replica leads if unfenced and in the ISR) or unclean election (a
     * leaderless partition takes any unfenced replica) for {@code partitions}, or all partitions if null.
     * Responds per partition: NONE, ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE,
     * ELIGIBLE_LEADERS_NOT_AVAILABLE or UNKNOWN_TOPIC_OR_PARTITION.
     */
    public ControllerResult<Map<TopicPartition, Errors>> electLeaders(ElectionType type,
                                                                     Collection<TopicPartition> partitions) {
        requireActive();
        if (type == null) {
            throw new InvalidRequestException("election type is missing");
        }
        return this.partitions.electLeaders(image(), type, partitions);
    }

    /**
     * Starts moving a partition to {@code newReplicas} (see {@link ReassignmentControl}); completes at once
     * if every target is already in the ISR. Responds with the partition's new state.
     */
    public ControllerResult<PartitionRegistration> reassignPartitions(String topic, int partition,
                                                                      List<Integer> newReplicas) {
        requireActive();
        return reassignments.reassign(image(), topic, partition, newReplicas);
    }

    /** Cancels a partition's reassignment: back to its original replicas. */
    public ControllerResult<PartitionRegistration> cancelReassignment(String topic, int partition) {
        requireActive();
        return reassignments.cancel(image(), topic, partition);
    }

    /** Auto leader rebalance, when due: preferred elections; responds with the partitions elected. */
    public ControllerResult<List<TopicPartition>> maybeBalanceLeaders(long nowMs) {
        requireActive();
        return partitions.maybeBalanceLeaders(image(), nowMs);
    }

    /**
     * Sets user {@code name}'s credential for {@code mechanism} ({@code SCRAM-SHA-256} or
     * {@code SCRAM-SHA-512}): the salt and the keys derived from the password, never the password.
     * Nothing is appended if the same credential is already set.
     *
     * @throws org.apache.kafka.common.errors.UnacceptableCredentialException for a bad user name or
     *     iterations outside the mechanism's bounds (4096..16384)
     * @throws org.apache.kafka.common.errors.UnsupportedSaslMechanismException for another mechanism
     * @throws InvalidRequestException for a missing salt or keys of the wrong length
     * @throws org.apache.kafka.common.errors.PolicyViolationException past the cluster's credential bound
     */
    public ControllerResult<Void> upsertScramCredential(String name, String mechanism, byte[] salt, byte[] storedKey,
                                                        byte[] serverKey, int iterations) {
        requireActive();
        return scram.upsert(image(), name, mechanism, salt, storedKey, serverKey, iterations);
    }

    /**
     * Deletes user {@code name}'s credential for {@code mechanism}.
     *
     * @throws org.apache.kafka.common.errors.ResourceNotFoundException if the user has no such credential
     */
    public ControllerResult<Void> deleteScramCredential(String name, String mechanism) {
        requireActive();
        return scram.delete(image(), name, mechanism);
    }

    /**
     * Creates ACLs (Kafka's CreateAcls); responds per binding, in order: NONE (created, or there
     * already) or INVALID_REQUEST / POLICY_VIOLATION with a message.
     *
     * @throws InvalidRequestException if the list is missing or longer than the per-request bound
     */
    public ControllerResult<List<ApiError>> createAcls(List<AclBinding> bindings) {
        requireActive();
        return acls.create(image(), bindings);
    }

    /**
     * Deletes every ACL matching each filter (Kafka's DeleteAcls); responds per filter, in order,
     * with the ACLs it removed or INVALID_REQUEST for a filter with an UNKNOWN field.
     *
     * @throws InvalidRequestException if the list is missing or longer than the per-request bound
     */
    public ControllerResult<List<AclDeletion>> deleteAcls(List<AclBindingFilter> filters) {
        requireActive();
        return acls.delete(image(), filters);
    }

    private void requireActive() {
        if (!isActive()) {
            MetadataImage current = image();
            throw new NotControllerException("this controller (" + ownControllerId + " epoch " + ownEpoch
                + ") is not active; the controller is " + current.controllerId() + " in epoch "
                + current.controllerEpoch());
        }
    }

    private void throwIfFailed() {
        if (failed) {
            throw new IllegalStateException("a record failed to replay; rebuild the controller from the committed image");
        }
    }
}
