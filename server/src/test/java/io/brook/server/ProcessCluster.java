package io.brook.server;

import static org.awaitility.Awaitility.await;

import io.brook.cluster.BrookCluster;
import io.brook.cluster.ClusterConfig;
import io.brook.cluster.MemberRole;
import io.brook.protocol.Addresses;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.DescribeTopicRequest;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionDescription;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicDescription;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Brokers as separate JVMs (so tests can SIGKILL and SIGSTOP them) on a private cluster, with
 * Hazelcast or with a real ZooKeeper server started here, and a client member in the test JVM
 * that speaks the event bus protocol to them. A {@link Network} says where they sit: all on loopback (the
 * default), or each broker in a network namespace of its own ({@code netns.NetnsHost}).
 */
public final class ProcessCluster implements AutoCloseable {
  public enum Mode { HAZELCAST, ZOOKEEPER }

  /**
   * Where the brokers, the test's client member and the ZooKeeper server sit on the network. The client
   * member and the ZooKeeper server are in the test JVM, on {@link #hostAddress()}.
   */
  public interface Network {
    /** Everything on 127.0.0.1: a port range for Hazelcast, brokers started as plain JVMs. */
    Network LOOPBACK = new Network() {
      @Override
      public String hostAddress() {
        return "127.0.0.1";
      }

      @Override
      public String hazelcastMembers(int clientPort) {
        // the test's client member and three brokers: no address where nobody listens (each slows a merge by 5 s)
        return "127.0.0.1:" + clientPort + "-" + (clientPort + 3);
      }

      @Override
      public Map<String, Object> brokerKeys(int nodeId) {
        return Map.of();
      }

      @Override
      public List<String> launcher(int nodeId) {
        return List.of();
      }
    };

    /** The address of the test JVM: its client member binds it, brokers reach ZooKeeper on it. */
    String hostAddress();

    /** Hazelcast TCP join members ({@code cluster.members}), the client member's port given. */
    String hazelcastMembers(int clientPort);

    /** Keys that put broker {@code nodeId} on its own address ({@code cluster.host}, {@code http.host} ...). */
    Map<String, Object> brokerKeys(int nodeId);

    /** What runs before the broker's java command line; it must exec java (same PID). */
    List<String> launcher(int nodeId);
  }

  private final Path root;
  private final Map<String, Object> clusterKeys = new HashMap<>();
  private final Map<String, Object> extra;
  private final Map<Integer, ProcessBroker> brokers = new TreeMap<>();
  private final Map<Integer, Map<String, Object>> configs = new HashMap<>();
  private final TestingServer zookeeper;
  private final Network network;
  private Vertx client;

  public ProcessCluster(Path root, Mode mode, Map<String, Object> extra) throws Exception {
    this(root, mode, extra, Network.LOOPBACK);
  }

  public ProcessCluster(Path root, Mode mode, Map<String, Object> extra, Network network) throws Exception {
    this.root = root;
    this.extra = extra;
    this.network = network;
    String name = "pc-" + UUID.randomUUID().toString().substring(0, 8);
    clusterKeys.put(ClusterConfig.CLUSTER_NAME, name);
    if (network != Network.LOOPBACK) {
      clusterKeys.put(ClusterConfig.CLUSTER_HOST, network.hostAddress());
    }
    if (mode == Mode.ZOOKEEPER) {
      // tickTime 500: the server allows the brokers' 6 s sessions (at most 20 ticks). It listens on every
      // address of the test JVM's network namespace; brokers connect to hostAddress().
      zookeeper = new TestingServer(new InstanceSpec(root.resolve("zk").toFile(), -1, -1, -1, true, 1, 500, 100, null,
          network.hostAddress()), true);
      clusterKeys.put(ClusterConfig.CLUSTER_MANAGER, ClusterConfig.ZOOKEEPER);
      clusterKeys.put(ClusterConfig.ZOOKEEPER_CONNECT, zookeeper.getConnectString());
    } else {
      zookeeper = null;
      int basePort = TestCluster.freePort();
      clusterKeys.put(ClusterConfig.CLUSTER_PORT, basePort);
      clusterKeys.put(ClusterConfig.CLUSTER_MEMBERS, network.hazelcastMembers(basePort));
    }
  }

  /**
   * Brokers and the client member on loopback, on a ZooKeeper server the test runs itself (one with TLS:
   * {@code io.brook.cluster.TlsZookeeperServer}), joined with {@code zookeeperKeys} ({@code zookeeper.connect},
   * {@code zookeeper.ssl.*} ...); {@code extra} goes to the brokers only.
   */
  public ProcessCluster(Path root, Map<String, Object> zookeeperKeys, Map<String, Object> extra) {
    this.root = root;
    this.extra = extra;
    this.network = Network.LOOPBACK;
    this.zookeeper = null;
    clusterKeys.put(ClusterConfig.CLUSTER_NAME, "pc-" + UUID.randomUUID().toString().substring(0, 8));
    clusterKeys.put(ClusterConfig.CLUSTER_MANAGER, ClusterConfig.ZOOKEEPER);
    clusterKeys.putAll(zookeeperKeys);
  }

  /** A cluster of brokers 1..{@code brokers} on loopback, started side by side (as an operator's script would) and ready. */
  public static ProcessCluster started(Path root, Mode mode, int brokers) throws Exception {
    ProcessCluster cluster = new ProcessCluster(root, mode, Map.of());
    cluster.startAll(java.util.stream.IntStream.rangeClosed(1, brokers).toArray());
    return cluster;
  }

  public ProcessBroker start(int nodeId) {
    ProcessBroker broker = launch(nodeId);
    broker.awaitReady();
    return broker;
  }

  /** Starts the brokers side by side and waits until each is ready. */
  public void startAll(int... nodeIds) {
    List<ProcessBroker> started = new java.util.ArrayList<>();
    for (int nodeId : nodeIds) {
      started.add(launch(nodeId));
    }
    started.forEach(ProcessBroker::awaitReady);
  }

  /** Starts broker {@code nodeId} without waiting for it to be ready (it may wait for a quorum that is not there yet). */
  public ProcessBroker launch(int nodeId) {
    Map<String, Object> config = configs.computeIfAbsent(nodeId, id -> {
      Map<String, Object> c = new HashMap<>(clusterKeys);
      c.putAll(network.brokerKeys(id));
      c.putAll(extra);
      c.put("node.id", id);
      c.put("data.dir", root.resolve("node-" + id).toString());
      c.put("http.port", TestCluster.freePort());
      c.put("bridge.port", -1);
      if (Integer.valueOf(0).equals(c.get("kafka.port"))) {
        c.put("kafka.port", TestCluster.freePort()); // "kafka.port": 0 in extra: a Kafka listener each, on a free port
      } else {
        c.putIfAbsent("kafka.port", -1); // on by default (9092): test clusters must not meet there
      }
      return c;
    });
    Path logFile = Path.of("target", "broker-logs", String.valueOf(clusterKeys.get(ClusterConfig.CLUSTER_NAME)),
        "node-" + nodeId + ".log");
    ProcessBroker broker = new ProcessBroker(config, logFile, network.launcher(nodeId)).launch();
    brokers.put(nodeId, broker);
    return broker;
  }

  /** Lets {@code time} pass (a condition that is true once the delay is over; Awaitility, not a bare sleep). */
  public static void pause(Duration time) {
    await().pollDelay(time).atMost(time.plusSeconds(5)).until(() -> true);
  }

  /** ZooKeeper mode: stops the server (its data directory stays), as a crash of the ZooKeeper host would. */
  public void stopZookeeper() throws IOException {
    zookeeper.stop();
  }

  /** ZooKeeper mode: starts the server again on the same port and data directory. */
  public void restartZookeeper() throws Exception {
    zookeeper.restart();
  }

  /** Broker {@code nodeId} (launched at least once) starts on {@code dataDir} from its next start on. */
  public void setDataDir(int nodeId, Path dataDir) {
    configs.get(nodeId).put("data.dir", dataDir.toString());
  }

  /** Broker {@code nodeId}'s Kafka listener port (set with {@code "kafka.port": 0} in the extra keys). */
  public int kafkaPort(int nodeId) {
    return (Integer) configs.get(nodeId).get("kafka.port");
  }

  /** The HTTP API port of broker {@code nodeId} (launched at least once). */
  public int httpPort(int nodeId) {
    return (Integer) configs.get(nodeId).get("http.port");
  }

  public ProcessBroker broker(int nodeId) {
    return brokers.get(nodeId);
  }

  /** The cluster's name: its broker logs are in {@code target/broker-logs/<name>/}. */
  public String name() {
    return String.valueOf(clusterKeys.get(ClusterConfig.CLUSTER_NAME));
  }

  /** A member of the cluster in this JVM, for the test's requests (joined on first use). */
  public Vertx client() {
    if (client == null) {
      client = BrookCluster.start(new ClusterConfig(clusterKeys), MemberRole.CLIENT).await();
      BrookCodecs.register(client.eventBus());
    }
    return client;
  }

  public <T> T request(String address, Object body, long timeoutMs) {
    return client().eventBus().<T>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs)).await().body();
  }

  public MetadataResponse metadata(String... topics) {
    return request(Addresses.METADATA, new MetadataRequest(List.of(topics)), 5_000);
  }

  /** Creates a topic once a controller has the brokers it needs; fails with the last error. */
  public void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      try {
        request(Addresses.CREATE_TOPIC, new CreateTopicRequest(name, partitions, (short) replicationFactor, configs), 30_000);
        return;
      } catch (RuntimeException e) {
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("cannot create " + name + " (logs in target/broker-logs/"
              + clusterKeys.get(ClusterConfig.CLUSTER_NAME) + ")", e);
        }
        await().pollDelay(Duration.ofMillis(500)).until(() -> true);
      }
    }
  }

  /**
   * The partition as a broker's metadata shows it. Any broker may answer, and one that is a moment
   * behind may not know the topic yet: asked again until one does.
   */
  public PartitionMetadata partition(String topic, int partition) {
    return await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> metadata(topic).topics().get(0).partitions().get(partition), p -> true);
  }

  /**
   * SIGSTOPs the partition's leader now and SIGKILLs it, from a thread of its own, once another broker
   * leads the partition: a freeze longer than every timeout, then a death, under the writers' feet.
   */
  public void freezeThenKill(String topic, int partition, int leader) {
    broker(leader).freeze();
    Thread killer = new Thread(() -> {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> partition(topic, partition).leader(), id -> id >= 0 && id != leader);
      broker(leader).kill();
    }, "kill-the-frozen-leader");
    killer.setDaemon(true);
    killer.start();
  }

  /**
   * The values of a partition's whole log as integers, read from its start to its end offset through
   * {@code via}'s Kafka listener by Kafka's own consumer: a reader independent of the producer under test.
   */
  public List<Integer> readAllIntegers(String topic, int partition, int via) {
    TopicPartition tp = new TopicPartition(topic, partition);
    List<Integer> values = new java.util.ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort(via),
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
      try {
        // Drains what the consumer holds on each check: one poll per check (500 records every 100 ms) would cap
        // the read at 5,000 records/s, below what a producer writes in the tests' 25 s.
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          int polled;
          do {
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
            records.forEach(record -> values.add(Integer.parseInt(record.value())));
            polled = records.count();
          } while (polled > 0 && consumer.position(tp) < end);
          return consumer.position(tp) >= end;
        });
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("read " + values.size() + " records of " + topic + "-" + partition + " via broker " + via
            + ", stuck at offset " + consumer.position(tp) + " of end offset " + end + unexpectedExits(), e);
      }
    }
    return values;
  }

  public PartitionDescription describe(String topic, int partition) {
    TopicDescription description = request(Addresses.DESCRIBE_TOPIC, new DescribeTopicRequest(topic), 10_000);
    return description.partitions().get(partition);
  }

  /**
   * Waits until every replica of the partition is in sync again, as every replica's own metadata
   * says: a broker that was cut off answers from metadata that stopped when it was, which showed
   * the ISR full then.
   */
  public void awaitFullIsr(String topic, int partition, int replicas) {
    try {
      await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
          .until(() -> everyReplicaSeesFullIsr(topic, partition, replicas));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("ISR of " + topic + "-" + partition + " not full within 90 s" + unexpectedExits(), e);
    }
  }

  private boolean everyReplicaSeesFullIsr(String topic, int partition, int replicas) {
    PartitionMetadata seen = partition(topic, partition);
    if (seen.isr().size() != replicas || seen.leader() < 0) {
      return false;
    }
    for (int replica : seen.replicas()) {
      MetadataResponse own = request(Addresses.metadata(replica), new MetadataRequest(List.of(topic)), 5_000);
      if (!seen.equals(own.topics().get(0).partitions().get(partition))) {
        return false;
      }
    }
    return true;
  }

  /** Brokers that ended without the test ending them, as a sentence to add to a failure (empty if none). */
  public String unexpectedExits() {
    List<String> exits = brokers.values().stream().map(ProcessBroker::unexpectedExit).filter(java.util.Objects::nonNull)
        .toList();
    return exits.isEmpty() ? "" : "; " + String.join("; ", exits);
  }

  public int awaitLeaderOtherThan(String topic, int partition, int formerLeader) {
    return await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
        .until(() -> partition(topic, partition).leader(), leader -> leader >= 0 && leader != formerLeader);
  }

  /** The partition's log as this broker holds it on disk: every segment's bytes, in offset order. */
  public byte[] logBytes(int nodeId, String topic, int partition) throws IOException {
    Path dir = root.resolve("node-" + nodeId).resolve(topic + "-" + partition);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path segment : files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList()) {
        bytes.write(Files.readAllBytes(segment));
      }
    }
    return bytes.toByteArray();
  }

  @Override
  public void close() throws Exception {
    String exits = unexpectedExits();
    if (!exits.isEmpty()) {
      System.err.println("Cluster " + name() + exits); // found by whoever reads a failure's output
    }
    brokers.values().forEach(ProcessBroker::close);
    if (client != null) {
      client.close().await();
    }
    if (zookeeper != null) {
      zookeeper.close();
    }
  }
}
