package io.brook.kafka;

import io.brook.protocol.JsonConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The Kafka protocol listener of a node: a Vert.x {@code NetServer} on {@code kafka.host:kafka.port},
 * one {@link KafkaConnection} per client, at most {@code max.connections} of them. The APIs it serves are
 * in {@link KafkaApis}; so far ApiVersions, Metadata, Produce, Fetch, ListOffsets, CreateTopics,
 * DeleteTopics, the classic consumer group APIs and topic configs (docs/notes/issue-11-progress.md).
 * {@code NodeVerticle} deploys it when {@code kafka.port} is not -1.
 */
public final class KafkaListenerVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(KafkaListenerVerticle.class.getName());

  private final BiFunction<Vertx, Integer, List<KafkaApi>> served;
  private NetServer server;
  private int connections;
  private long accepted;
  private long refusedOverLimit;

  public KafkaListenerVerticle() {
    this(KafkaListenerVerticle::brokerApis);
  }

  /** With other APIs than a broker's (tests of the connection layer). */
  KafkaListenerVerticle(BiFunction<Vertx, Integer, List<KafkaApi>> served) {
    this.served = served;
  }

  /** What a broker serves, each through the node's event bus APIs. */
  private static List<KafkaApi> brokerApis(Vertx vertx, int nodeId) {
    PartitionLeaders leaders = new PartitionLeaders(vertx, nodeId);
    List<KafkaApi> apis = new ArrayList<>(List.of(new MetadataApi(vertx, nodeId),
        new ProduceApi(vertx, leaders), new FetchApi(vertx, leaders), new ListOffsetsApi(vertx, leaders),
        new InitProducerIdApi(vertx), new OffsetForLeaderEpochApi(vertx, leaders),
        TopicAdminApis.createTopics(vertx), TopicAdminApis.deleteTopics(vertx)));
    apis.addAll(GroupApis.all(vertx, nodeId));
    apis.addAll(ConfigApis.all(vertx));
    apis.addAll(PartitionAdminApis.all(vertx, nodeId, leaders));
    apis.add(LogDirsApi.describeLogDirs(vertx, nodeId));
    return apis;
  }

  @Override
  public Future<?> start() {
    KafkaListenerConfig config = new KafkaListenerConfig(JsonConfig.asStrings(config()));
    if (!config.anonymousAllowed(config().getMap())) {
      return Future.failedFuture(new IllegalStateException("the Kafka listener cannot start on " + config.host() + ":"
          + config.port() + ": it has no authentication yet (SASL comes later), and clients without credentials are not "
          + "allowed here (security.allow.anonymous, or a kafka.host reachable from other hosts); set kafka.port=-1"));
    }
    int nodeId = Integer.parseInt(String.valueOf(config().getValue("node.id", "1")));
    KafkaApis apis = new KafkaApis(served.apply(vertx, nodeId));
    RequestPermits permits = new RequestPermits(config.queuedMaxRequests());
    server = vertx.createNetServer(new NetServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setTcpNoDelay(true)
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, config.connectionsMaxIdleMs()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
    server.connectHandler(socket -> accept(socket, config, apis, permits));
    return server.listen().onSuccess(s -> LOG.log(Level.INFO, "Kafka listener on " + config.host() + ":" + s.actualPort()));
  }

  private void accept(NetSocket socket, KafkaListenerConfig config, KafkaApis apis, RequestPermits permits) {
    if (connections >= config.maxConnections()) {
      if (refusedOverLimit++ % 1000 == 0) { // one line per thousand, not one per connection of a flood
        LOG.log(Level.WARNING, "Kafka connection from " + socket.remoteAddress() + " refused: " + connections
            + " open (max.connections); " + refusedOverLimit + " refused so far");
      }
      socket.close();
      return;
    }
    connections++;
    new KafkaConnection(socket, "kafka-" + (++accepted), apis, permits, config, () -> connections--);
  }

  /** The port it listens on (the configured one, or the one picked for port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
