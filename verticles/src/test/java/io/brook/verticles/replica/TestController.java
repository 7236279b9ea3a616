package io.brook.verticles.replica;

import io.brook.protocol.Addresses;
import io.brook.metadata.ControllerConfig;
import io.brook.metadata.ControllerResult;
import io.brook.metadata.ControllerState;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.MetadataRecord;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicConfigValidator;
import io.brook.protocol.message.AlterPartitionRequest;
import io.brook.protocol.message.AlterPartitionResponse;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The test's stand-in for the controller verticle: a real {@link ControllerState}, driven in
 * process, whose every committed image is published to each live broker's replica manager, and
 * which answers the brokers' ISR changes. Synchronized: brokers call it from their event loops.
 */
final class TestController {
  private final ControllerState state;
  private final Map<Integer, Vertx> brokers = new HashMap<>();
  private long nextOffset;

  TestController(Map<String, ?> config) {
    state = new ControllerState(MetadataImage.EMPTY, new ControllerConfig(config), new Random(7), TopicConfigValidator.ACCEPT_ALL);
    apply(state.newControllerEpoch(0, 1));
  }

  synchronized void addBroker(int nodeId, Vertx vertx) {
    brokers.put(nodeId, vertx);
    long epoch = apply(state.registerBroker(nodeId, "127.0.0.1", -1, -1, "node-" + nodeId, now()));
    apply(state.brokerHeartbeat(nodeId, epoch, state.image().lastOffset(), now()));
  }

  /** The broker's process is gone (or frozen): fence it, as a session expiry would. */
  synchronized void fence(int nodeId) {
    brokers.remove(nodeId);
    apply(state.fenceBroker(nodeId, now()));
  }

  synchronized void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
    apply(state.createTopic(name, partitions, replicationFactor, configs, now()));
  }

  synchronized PartitionRegistration partition(String topic, int partition) {
    return state.image().partition(topic, partition).orElseThrow();
  }

  synchronized AlterPartitionResponse alterPartition(AlterPartitionRequest request) {
    PartitionRegistration committed = apply(state.alterPartition(request.topic(), request.partition(),
        request.leaderId(), request.leaderEpoch(), request.partitionEpoch(), request.newIsr()));
    return new AlterPartitionResponse(committed.leader(), committed.leaderEpoch(), committed.partitionEpoch(),
        committed.isr());
  }

  private <T> T apply(ControllerResult<T> result) {
    for (MetadataRecord record : result.records()) {
      state.replay(record, nextOffset++);
    }
    publish();
    return result.response();
  }

  private void publish() {
    MetadataImage image = state.image();
    brokers.values().forEach(vertx -> vertx.eventBus().publish(Addresses.LOCAL_METADATA_IMAGE, image,
        new DeliveryOptions().setLocalOnly(true)));
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
