package io.brook.kafka;

import io.brook.protocol.JsonConfig;
import io.brook.protocol.KafkaEndpoint;
import io.brook.protocol.ListenerTls;
import io.brook.protocol.LocalPartitionDoor;
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
import java.util.function.Function;
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
  /** By listener name (its security protocol), in the order of the listeners. */
  private final Map<String, NetServer> servers = new java.util.LinkedHashMap<>();
  private int connections;
  private long accepted;
  private long refusedOverLimit;

  /** A listener whose requests all go through the event bus doors of the brokers (tests of the listener alone). */
  public KafkaListenerVerticle() {
    this(vertx -> null);
  }

  /**
   * A broker's listener: {@code localDoor} makes, on the listener's context, the door through which
   * requests for this node's own leaders go without the event bus door's hop.
   */
  public KafkaListenerVerticle(Function<Vertx, LocalPartitionDoor> localDoor) {
    this((vertx, nodeId) -> brokerApis(vertx, nodeId, localDoor.apply(vertx)));
  }

  /** With other APIs than a broker's (tests of the connection layer). */
  KafkaListenerVerticle(BiFunction<Vertx, Integer, List<KafkaApi>> served) {
    this.served = served;
  }

  /** What a broker serves, each through the node's event bus APIs. */
  private static List<KafkaApi> brokerApis(Vertx vertx, int nodeId, LocalPartitionDoor localDoor) {
    PartitionLeaders leaders = new PartitionLeaders(vertx, nodeId);
    List<KafkaApi> apis = new ArrayList<>(List.of(new MetadataApi(vertx, nodeId),
        new ProduceApi(vertx, leaders, localDoor), new FetchApi(vertx, leaders, localDoor),
        new ListOffsetsApi(vertx, leaders),
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
    List<KafkaEndpoint> listeners;
    ListenerTls identity;
    try {
      listeners = config.listeners(node);
      String problem = config.problem(node);
      if (problem != null) {
        throw new ConfigException(problem);
      }
      identity = listeners.stream().anyMatch(KafkaListenerConfig::tls) ? config.tlsIdentity() : null;
    } catch (ConfigException | IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    int nodeId = Integer.parseInt(String.valueOf(config().getValue("node.id", "1")));
    List<KafkaApi> served = this.served.apply(vertx, nodeId);
    List<KafkaApi> withSasl = new ArrayList<>(served);
    withSasl.addAll(SaslAuthenticator.apis());
    KafkaApis plainApis = new KafkaApis(served);
    KafkaApis saslApis = new KafkaApis(withSasl);
    RequestPermits permits = new RequestPermits(config.queuedMaxRequests()); // node-wide, as max.connections
    List<Future<?>> listening = new ArrayList<>();
    for (KafkaEndpoint listener : listeners) {
      NetServerOptions options = new NetServerOptions()
          .setHost(listener.host())
          .setPort(listener.port())
          .setTcpNoDelay(true)
          .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, config.connectionsMaxIdleMs()))
          .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
      if (KafkaListenerConfig.tls(listener)) {
        identity.applyTo(options);
      }
      SecurityProtocol protocol = SecurityProtocol.forName(listener.securityProtocol());
      boolean sasl = KafkaListenerConfig.sasl(listener);
      NetServer server = vertx.createNetServer(options);
      server.connectHandler(socket -> accept(socket, config, sasl ? saslApis : plainApis, permits, protocol,
          sasl ? new SaslAuthenticator(vertx, config.saslMechanisms(), config.failedAuthenticationDelayMs()) : null));
      servers.put(listener.securityProtocol(), server);
      listening.add(server.listen().onSuccess(s -> LOG.log(Level.INFO, "Kafka listener " + protocol + " on "
          + listener.host() + ":" + s.actualPort() + (sasl ? " (SASL " + String.join(", ", config.saslMechanisms())
          + ")" : ""))));
    }
    return Future.all(listening);
  }

  private void accept(NetSocket socket, KafkaListenerConfig config, KafkaApis apis, RequestPermits permits,
      SecurityProtocol protocol, SaslAuthenticator sasl) {
    if (connections >= config.maxConnections()) {
      if (refusedOverLimit++ % 1000 == 0) { // one line per thousand, not one per connection of a flood
        LOG.log(Level.WARNING, "Kafka connection from " + socket.remoteAddress() + " refused: " + connections
            + " open (max.connections); " + refusedOverLimit + " refused so far");
      }
      socket.close();
      return;
    }
    connections++;
    new KafkaConnection(socket, "kafka-" + (++accepted), apis, permits, config, protocol, sasl, () -> connections--);
  }

  /** The port its first listener listens on (the configured one, or the one picked for port 0). */
  public int actualPort() {
    return servers.values().iterator().next().actualPort();
  }

  /** The port of the listener of {@code securityProtocol}. */
  public int actualPort(String securityProtocol) {
    return servers.get(securityProtocol).actualPort();
  }

  @Override
  public Future<?> stop() {
    return Future.join(servers.values().stream().map(NetServer::close).toList());
  }
}
