package io.brook.kafka;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The Kafka listener's keys. The names are Kafka's where Kafka has the same setting
 * ({@code socket.request.max.bytes}, {@code connections.max.idle.ms}, {@code max.connections});
 * Kafka's {@code queued.max.requests} is {@code kafka.queued.max.requests} here, Brook's own
 * {@code queued.max.requests} being the bound of requests waiting at one partition.
 */
public final class KafkaListenerConfig extends AbstractConfig {
  public static final String KAFKA_PORT = "kafka.port";
  public static final String KAFKA_HOST = "kafka.host";
  public static final String ADVERTISED_LISTENERS = "advertised.listeners";
  public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
  public static final String QUEUED_MAX_REQUESTS = "kafka.queued.max.requests";
  public static final String CONNECTION_MAX_INFLIGHT = "kafka.connection.max.inflight.requests";
  public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
  public static final String MAX_CONNECTIONS = "max.connections";

  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(KAFKA_PORT, Type.INT, 9092, Range.between(-1, 65535), Importance.HIGH,
          "Port of the Kafka protocol listener, for stock Kafka clients and tools (run.sh: 9092 + node id - 1, "
              + "--kafka-port); -1: no listener. Until SASL is served its clients are anonymous, so the listener "
              + "starts only where anonymous clients are allowed (security.allow.anonymous, or a loopback kafka.host), "
              + "and is otherwise left off with a warning.")
      .define(KAFKA_HOST, Type.STRING, "127.0.0.1", Importance.HIGH,
          "Interface the Kafka listener binds to.")
      .define(ADVERTISED_LISTENERS, Type.STRING, "", new AdvertisedListeners(), Importance.MEDIUM,
          "Where Kafka clients are told to reach this broker (Metadata, FindCoordinator): PLAINTEXT://host:port, "
              + "for a host name or port that differs from what the listener binds (NAT, containers); empty: "
              + "kafka.host:kafka.port.")
      .define(SOCKET_REQUEST_MAX_BYTES, Type.INT, 104_857_600, Range.atLeast(1024), Importance.MEDIUM,
          "Largest Kafka request frame; a larger size prefix closes the connection before anything of the frame is buffered.")
      .define(QUEUED_MAX_REQUESTS, Type.INT, 500, Range.atLeast(1), Importance.MEDIUM,
          "Kafka requests in progress on this node across connections (Kafka's queued.max.requests); past it, "
              + "connections stop being read until requests complete (back-pressure, not an error).")
      .define(CONNECTION_MAX_INFLIGHT, Type.INT, 100, Range.atLeast(1), Importance.LOW,
          "Kafka requests in progress on one connection; past it, that connection stops being read until its oldest "
              + "responses are sent.")
      .define(CONNECTIONS_MAX_IDLE_MS, Type.LONG, 600_000L, Range.atLeast(1_000), Importance.MEDIUM,
          "A Kafka connection that reads and writes nothing for this long is closed.")
      .define(MAX_CONNECTIONS, Type.INT, 10_000, Range.atLeast(1), Importance.MEDIUM,
          "Kafka connections open at once on this node; one more is closed as soon as it is accepted.");

  /** One PLAINTEXT://host:port, or empty. */
  private static final class AdvertisedListeners implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      try {
        io.brook.protocol.KafkaEndpoint.parse((String) value);
      } catch (IllegalArgumentException e) {
        throw new org.apache.kafka.common.config.ConfigException(name, value, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "PLAINTEXT://host:port, or empty";
    }
  }

  public KafkaListenerConfig(Map<?, ?> values) {
    super(CONFIG_DEF, values, false);
  }

  public int port() {
    return getInt(KAFKA_PORT);
  }

  public boolean enabled() {
    return port() >= 0;
  }

  public String host() {
    return getString(KAFKA_HOST);
  }

  /** Where clients are told to connect: {@code advertised.listeners}, else {@code kafka.host:kafka.port}. */
  public io.brook.protocol.KafkaEndpoint advertised() {
    return io.brook.protocol.KafkaEndpoint.parse(getString(ADVERTISED_LISTENERS))
        .orElse(new io.brook.protocol.KafkaEndpoint(host(), port()));
  }

  /**
   * Whether clients without credentials, the only kind the listener has until SASL is served, may connect:
   * as {@code security.allow.anonymous} says in {@code nodeConfig}, and by default only on a loopback
   * {@code kafka.host} (as the HTTP API and the bridge decide). Resolves the host if it is a name.
   */
  public boolean anonymousAllowed(Map<String, ?> nodeConfig) {
    Object set = nodeConfig.get("security.allow.anonymous");
    if (set != null) {
      return Boolean.parseBoolean(String.valueOf(set));
    }
    try {
      return java.net.InetAddress.getByName(host()).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  public int maxRequestBytes() {
    return getInt(SOCKET_REQUEST_MAX_BYTES);
  }

  public int queuedMaxRequests() {
    return getInt(QUEUED_MAX_REQUESTS);
  }

  public int connectionMaxInflight() {
    return getInt(CONNECTION_MAX_INFLIGHT);
  }

  public long connectionsMaxIdleMs() {
    return getLong(CONNECTIONS_MAX_IDLE_MS);
  }

  public int maxConnections() {
    return getInt(MAX_CONNECTIONS);
  }
}
