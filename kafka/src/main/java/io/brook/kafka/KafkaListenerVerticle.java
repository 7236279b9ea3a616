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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The Kafka protocol listener of a node: a Vert.x {@code NetServer} on {@code kafka.host:kafka.port},
 * one {@link KafkaConnection} per client, at most {@code max.connections} of them, in one of Kafka's security
 * protocols ({@code kafka.security.protocol}: TLS from the PEM identity, SASL with {@link SaslAuthenticator}).
 * The APIs it serves are in {@link KafkaApis} (the list in docs/PROTOCOL.md).
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
    apis.addAll(UserScramApis.all(vertx));
    apis.addAll(PartitionAdminApis.all(vertx, nodeId, leaders));
    apis.add(LogDirsApi.describeLogDirs(vertx, nodeId));
    return apis;
  }

  @Override
  public Future<?> start() {
    KafkaListenerConfig config = new KafkaListenerConfig(JsonConfig.asStrings(config()));
    Map<String, Object> node = config().getMap();
    String problem = config.problem(node);
    if (problem != null) {
      return Future.failedFuture(new ConfigException("the Kafka listener cannot start on " + config.host() + ":"
          + config.port() + ": " + problem));
    }
    SecurityProtocol protocol = SecurityProtocol.forName(config.securityProtocol(node));
    boolean sasl = config.sasl(node);
    NetServerOptions options = new NetServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setTcpNoDelay(true)
        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, config.connectionsMaxIdleMs()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    try {
      if (config.tls(node)) {
        config.tlsIdentity().applyTo(options);
      }
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    int nodeId = Integer.parseInt(String.valueOf(config().getValue("node.id", "1")));
    List<KafkaApi> apis = new ArrayList<>(served.apply(vertx, nodeId));
    if (sasl) {
      apis.addAll(SaslAuthenticator.apis());
    }
    KafkaApis kafkaApis = new KafkaApis(apis);
    RequestPermits permits = new RequestPermits(config.queuedMaxRequests());
    server = vertx.createNetServer(options);
    server.connectHandler(socket -> accept(socket, config, kafkaApis, permits, protocol,
        sasl ? () -> new SaslAuthenticator(vertx, config.saslMechanisms(), config.failedAuthenticationDelayMs()) : () -> null));
    return server.listen().onSuccess(s -> LOG.log(Level.INFO, "Kafka listener (" + protocol + (sasl ? " "
        + String.join(", ", config.saslMechanisms()) : "") + ") on " + config.host() + ":" + s.actualPort()));
  }

  private void accept(NetSocket socket, KafkaListenerConfig config, KafkaApis apis, RequestPermits permits,
      SecurityProtocol protocol, Supplier<SaslAuthenticator> sasl) {
    if (connections >= config.maxConnections()) {
      if (refusedOverLimit++ % 1000 == 0) { // one line per thousand, not one per connection of a flood
        LOG.log(Level.WARNING, "Kafka connection from " + socket.remoteAddress() + " refused: " + connections
            + " open (max.connections); " + refusedOverLimit + " refused so far");
      }
      socket.close();
      return;
    }
    connections++;
    new KafkaConnection(socket, "kafka-" + (++accepted), apis, permits, config, protocol, sasl.get(), () -> connections--);
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
