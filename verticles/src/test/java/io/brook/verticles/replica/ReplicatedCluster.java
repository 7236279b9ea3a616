package io.brook.verticles.replica;

import io.brook.cluster.BrookCluster;
import io.brook.cluster.ClusterConfig;
import io.brook.cluster.MemberRole;
import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.AlterPartitionRequest;
import io.brook.storage.Time;
import io.brook.verticles.BrokerConfig;
import io.brook.verticles.LocalCodecs;
import io.brook.verticles.ProtocolCalls;
import io.brook.verticles.api.BrokerApiVerticle;
import io.brook.verticles.log.LogRequests;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Brokers on real Hazelcast (loopback, a private cluster) in one JVM, each with its own Vert.x,
 * data directory, replica manager and API verticle, driven by a {@link TestController}. What the
 * controller verticle and metadata log will do later, the test controller does in process.
 */
final class ReplicatedCluster implements AutoCloseable {
  final TestController controller;
  private final Path root;
  private final Map<String, Object> clusterKeys;
  private final Map<String, Object> extraConfig;
  private final Map<Integer, Vertx> brokers = new HashMap<>();

  ReplicatedCluster(Path root, Map<String, Object> extraConfig) {
    this.root = root;
    this.extraConfig = extraConfig;
    int basePort = freePort();
    this.clusterKeys = Map.of(ClusterConfig.CLUSTER_NAME, "repl-" + UUID.randomUUID().toString().substring(0, 8),
        ClusterConfig.CLUSTER_PORT, basePort, ClusterConfig.CLUSTER_MEMBERS, "127.0.0.1:" + basePort + "-" + (basePort + 9));
    this.controller = new TestController(extraConfig);
  }

  void startBroker(int nodeId) {
    Map<String, Object> node = new HashMap<>(clusterKeys);
    node.putAll(extraConfig);
    node.put(BrokerConfig.NODE_ID, nodeId);
    node.put(BrokerConfig.DATA_DIR, root.resolve("node-" + nodeId).toString());
    BrokerConfig config = new BrokerConfig(node);
    Vertx vertx = BrookCluster.start(new ClusterConfig(clusterKeys), MemberRole.BROKER).await();
    LocalCodecs.register(vertx.eventBus());
    vertx.eventBus().<AlterPartitionRequest>localConsumer(Addresses.LOCAL_CONTROLLER_ALTER_PARTITION, m -> {
      try {
        m.reply(controller.alterPartition(m.body()));
      } catch (RuntimeException e) {
        BrookErrors.fail(m, e);
      }
    }).completion().await();
    vertx.setPeriodic(200, id -> vertx.eventBus().publish(Addresses.LOCAL_REPLICA_TICK, id,
        new DeliveryOptions().setLocalOnly(true)));
    vertx.deployVerticle(new ReplicaManagerVerticle(config, new ReplicaConfigs(config, node), Time.SYSTEM)).await();
    vertx.deployVerticle(() -> new BrokerApiVerticle(nodeId, io.brook.security.AuthorizerConfig.defaults()), new DeploymentOptions().setInstances(1)).await();
    brokers.put(nodeId, vertx);
    controller.addBroker(nodeId, vertx);
  }

  /** The broker's Vert.x (its meters, its local data). */
  Vertx vertx(int nodeId) {
    return brokers.get(nodeId);
  }

  /** The controller declares the broker dead, but its process goes on (a partition, a freeze). */
  void fenceOnly(int nodeId) {
    controller.fence(nodeId);
  }

  /** A fenced broker that is still running comes back: it registers anew. */
  void unfence(int nodeId) {
    controller.addBroker(nodeId, brokers.get(nodeId));
  }

  /** Stops a broker's replica of a partition from fetching (its log stays), as a cut link would. */
  void pauseReplica(int nodeId, String topic, int partition) {
    org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, partition);
    brokers.get(nodeId).eventBus().request(Addresses.localLog(topic, partition),
        new LogRequests.SwitchRole(log -> new LeaderlessReplicaVerticle(tp))).await();
  }

  /** Stops a broker's process cleanly (its logs stay on disk) and fences it. */
  void stopBroker(int nodeId) {
    controller.fence(nodeId);
    brokers.remove(nodeId).close().await();
  }

  ProtocolCalls callsTo(int via, int leader) {
    return new ProtocolCalls(brokers.get(via).eventBus(), leader, 10_000);
  }

  /** Every byte of a broker's log of {@code topic-partition}, read locally on that broker. */
  ByteBuffer logBytes(int nodeId, String topic, int partition) {
    Vertx vertx = brokers.get(nodeId);
    LogRequests.LogOffsets offsets = vertx.eventBus().<LogRequests.LogOffsets>request(
        Addresses.localLog(topic, partition), new LogRequests.Describe()).await().body();
    LogRequests.ReadDone read = vertx.eventBus().<LogRequests.ReadDone>request(Addresses.localLog(topic, partition),
        new LogRequests.Read(offsets.logStartOffset(), Integer.MAX_VALUE, offsets.logEndOffset())).await().body();
    return read.records();
  }

  LogRequests.LogOffsets offsets(int nodeId, String topic, int partition) {
    return brokers.get(nodeId).eventBus().<LogRequests.LogOffsets>request(Addresses.localLog(topic, partition),
        new LogRequests.Describe()).await().body();
  }

  @Override
  public void close() {
    brokers.values().forEach(vertx -> vertx.close().await());
    brokers.clear();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
