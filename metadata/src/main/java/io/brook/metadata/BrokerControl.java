package io.brook.metadata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.DuplicateBrokerRegistrationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.StaleBrokerEpochException;

/**
 * Broker liveness: registration, heartbeats, session expiry and fencing, each returning the records
 * (and the elections the state change causes) for {@link ControllerState} to hand out.
 *
 * <p>Rules: a registration's broker epoch is the offset its record will get; a registered broker is
 * fenced until a heartbeat reports a metadata offset at or past its epoch; a broker whose session
 * expires, or whom the cluster manager reports gone, is fenced and must register again. The
 * elections are written before the {@code FenceBroker} (and after the {@code UnfenceBroker}), so at
 * no offset of the log does a fenced broker lead. Controller thread only.
 */
final class BrokerControl {

    private final ControllerConfig config;
    private final BrokerSessions sessions;

    BrokerControl(ControllerConfig config, BrokerSessions sessions) {
        this.config = config;
        this.sessions = sessions;
    }

    ControllerResult<Long> register(MetadataImage image, int nodeId, String host, int httpPort, int bridgePort,
                                    String eventBusNodeId, String directoryId, String logDir, String kafkaHost,
                                    int kafkaPort, String kafkaListeners, long nowMs) {
        throwIfInvalidRegistration(nodeId, host, httpPort, bridgePort, eventBusNodeId);
        if (kafkaPort < -1 || kafkaPort > 65_535) {
            throw new InvalidRequestException("kafkaPort must be in [-1, 65535]: " + kafkaPort);
        }
        List<MetadataRecord> records = new ArrayList<>();
        BrokerRegistration existing = image.broker(nodeId).orElse(null);
        if (existing != null && existing.state() == BrokerState.UNFENCED) {
            throwIfOtherLiveIncarnation(existing, eventBusNodeId, nowMs);
            records.addAll(fenceRecords(image, List.of(existing))); // the old incarnation's leaderships move
        }
        // the epoch is the offset this record gets: the caller replays every record it appends, in order
        long brokerEpoch = image.lastOffset() + 1 + records.size();
        // on another data directory, its replicas written elsewhere are offline (MetadataImage.isOffline): they
        // left every ISR they could leave when this broker was fenced, and elections pass them over from now on
        records.add(new RegisterBroker(nodeId, brokerEpoch, host, httpPort, bridgePort, eventBusNodeId,
            directoryId == null ? "" : directoryId, logDir == null ? "" : logDir, kafkaHost == null ? "" : kafkaHost,
            kafkaPort, kafkaListeners == null ? "" : kafkaListeners));
        sessions.touch(nodeId, nowMs);
        return ControllerResult.of(records, brokerEpoch);
    }

    private static void throwIfInvalidRegistration(int nodeId, String host, int httpPort, int bridgePort,
                                                   String eventBusNodeId) {
        ControllerChecks.requireNodeId(nodeId);
        if (host == null || host.isBlank() || eventBusNodeId == null || eventBusNodeId.isBlank()) {
            throw new InvalidRequestException("host and event bus node id are required");
        }
        // -1: that listener is disabled on the broker
        if (httpPort < -1 || httpPort > 65_535 || bridgePort < -1 || bridgePort > 65_535) {
            throw new InvalidRequestException("ports must be in [-1, 65535]: " + httpPort + ", " + bridgePort);
        }
    }

    /** Two live processes with one node id would steal each other's partitions: refuse the second. */
    private void throwIfOtherLiveIncarnation(BrokerRegistration existing, String eventBusNodeId, long nowMs) {
        boolean sameIncarnation = existing.eventBusNodeId().equals(eventBusNodeId);
        if (!sameIncarnation && !sessions.expired(existing.nodeId(), nowMs, config.brokerSessionTimeoutMs())) {
            throw new DuplicateBrokerRegistrationException("node " + existing.nodeId()
                + " is registered by a live broker on event bus node " + existing.eventBusNodeId());
        }
    }

    ControllerResult<HeartbeatReply> heartbeat(MetadataImage image, int nodeId, long brokerEpoch,
                                               long metadataOffset, long nowMs) {
        BrokerRegistration broker = requireBroker(image, nodeId);
        if (broker.brokerEpoch() != brokerEpoch) {
            throw new StaleBrokerEpochException("node " + nodeId + " is in broker epoch " + broker.brokerEpoch()
                + ", the heartbeat carries " + brokerEpoch);
        }
        switch (broker.state()) {
            case FENCED:
                return ControllerResult.empty(new HeartbeatReply(true, true));
            case REGISTERED:
                sessions.touch(nodeId, nowMs);
                if (metadataOffset < broker.brokerEpoch()) {
                    return ControllerResult.empty(new HeartbeatReply(true, false)); // still catching up
                }
                List<MetadataRecord> records = new ArrayList<>();
                records.add(new UnfenceBroker(nodeId, brokerEpoch));
                records.addAll(PartitionElection.onUnfenced(image, nodeId, config));
                return ControllerResult.of(records, new HeartbeatReply(false, false));
            case UNFENCED:
                sessions.touch(nodeId, nowMs);
                return ControllerResult.empty(new HeartbeatReply(false, false));
            default:
                throw new IllegalStateException("unknown broker state " + broker.state());
        }
    }

    /** Fences every unfenced broker whose session has expired at {@code nowMs}. */
    ControllerResult<List<Integer>> tick(MetadataImage image, long nowMs) {
        List<BrokerRegistration> expired = image.brokers().values().stream()
            .filter(b -> b.state() == BrokerState.UNFENCED)
            .filter(b -> sessions.expired(b.nodeId(), nowMs, config.brokerSessionTimeoutMs()))
            .toList();
        if (expired.isEmpty()) {
            return ControllerResult.empty(List.of());
        }
        return ControllerResult.of(fenceRecords(image, expired),
            expired.stream().map(BrokerRegistration::nodeId).toList());
    }

    /** Fences {@code nodeId} now (the cluster manager says its node left); no-op if already fenced. */
    ControllerResult<Void> fence(MetadataImage image, int nodeId) {
        BrokerRegistration broker = requireBroker(image, nodeId);
        if (broker.state() == BrokerState.FENCED) {
            return ControllerResult.empty(null);
        }
        return ControllerResult.of(fenceRecords(image, List.of(broker)), null);
    }

    /** Forgets {@code nodeId}, after moving its leaderships and ISR memberships away. */
    ControllerResult<Void> unregister(MetadataImage image, int nodeId) {
        BrokerRegistration broker = requireBroker(image, nodeId);
        List<MetadataRecord> records = new ArrayList<>();
        if (broker.state() != BrokerState.FENCED) {
            records.addAll(PartitionElection.onFenced(image, Set.of(nodeId), config));
        }
        records.add(new UnregisterBroker(nodeId));
        return ControllerResult.of(records, null);
    }

    /** Most partitions named in the refusal: the rest are counted. */
    static final int MAX_NAMED_REPLICAS = 20;

    /** A decommission that would leave replicas on a broker that no longer exists is refused, naming them. */
    static void throwIfHostsReplicas(MetadataImage image, int nodeId) {
        List<String> hosted = image.replicasOn(nodeId).keySet().stream()
            .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
            .map(tp -> tp.topic() + ":" + tp.partition()).toList();
        if (hosted.isEmpty()) {
            return;
        }
        String named = String.join(", ", hosted.subList(0, Math.min(hosted.size(), MAX_NAMED_REPLICAS)))
            + (hosted.size() > MAX_NAMED_REPLICAS ? ", ..." : "");
        throw new InvalidRequestException("Broker " + nodeId + " still hosts " + hosted.size()
            + " partition replica(s): " + named + "; move them to other brokers with partitions reassign first, or "
            + "force the removal (those partitions then stay under-replicated until reassigned)");
    }

    ControllerView describe(MetadataImage image, long nowMs) {
        List<ControllerView.BrokerDescription> brokers = image.brokers().values().stream()
            .map(b -> new ControllerView.BrokerDescription(b,
                sessions.lastContactMs(b.nodeId()).stream().map(last -> nowMs - last).findFirst().orElse(-1L)))
            .toList();
        return new ControllerView(image.controllerId(), image.controllerEpoch(), brokers);
    }

    /** Elections first, then one FenceBroker per broker, so no offset shows a fenced leader. */
    private List<MetadataRecord> fenceRecords(MetadataImage image, Collection<BrokerRegistration> brokers) {
        Set<Integer> ids = brokers.stream().map(BrokerRegistration::nodeId).collect(Collectors.toSet());
        List<MetadataRecord> records = new ArrayList<>(PartitionElection.onFenced(image, ids, config));
        for (BrokerRegistration broker : brokers) {
            records.add(new FenceBroker(broker.nodeId(), broker.brokerEpoch()));
        }
        return records;
    }

    private static BrokerRegistration requireBroker(MetadataImage image, int nodeId) {
        return image.broker(nodeId).orElseThrow(() ->
            new BrokerIdNotRegisteredException("Broker " + nodeId + " is not registered"));
    }
}
