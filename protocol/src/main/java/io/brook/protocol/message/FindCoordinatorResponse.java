package io.brook.protocol.message;

/**
 * The coordinator, or {@code error} (a Kafka error name; null when found) with {@code errorMessage}:
 * {@code COORDINATOR_NOT_AVAILABLE} while {@code __consumer_offsets} is being created or its
 * partition has no leader (retry), {@code INVALID_REQUEST} for another key type.
 * {@code eventBusNodeId} is the cluster manager's id of the broker's node.
 */
public record FindCoordinatorResponse(String error, String errorMessage, int nodeId, String host,
    String eventBusNodeId) {}
