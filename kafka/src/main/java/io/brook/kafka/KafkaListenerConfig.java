package io.brook.kafka;

import io.brook.protocol.KafkaEndpoint;
import io.brook.protocol.ListenerTls;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

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
  public static final String LISTENERS = "listeners";
  public static final String SECURITY_PROTOCOL = "kafka.security.protocol";
  public static final String SASL_MECHANISMS = "kafka.sasl.enabled.mechanisms";
  public static final String SSL_KEY = "kafka.ssl.key.location";
  public static final String SSL_CERTIFICATE = "kafka.ssl.certificate.location";
  public static final String FAILED_AUTHENTICATION_DELAY_MS = "connection.failed.authentication.delay.ms";
  /** What {@link #SASL_MECHANISMS} may name. */
  public static final List<String> MECHANISMS = List.of("SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN");

  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(KAFKA_PORT, Type.INT, 9092, Range.between(-1, 65535), Importance.HIGH,
          "Port of the Kafka protocol listener, for stock Kafka clients and tools (run.sh: 9092 + node id - 1, "
              + "--kafka-port); -1: no listener.")
      .define(KAFKA_HOST, Type.STRING, "127.0.0.1", Importance.HIGH,
          "Interface the Kafka listener binds to.")
      .define(SECURITY_PROTOCOL, Type.STRING, "", ConfigDef.ValidString.in(java.util.stream.Stream.concat(
              java.util.stream.Stream.of(""), KafkaEndpoint.SECURITY_PROTOCOLS.stream()).toArray(String[]::new)),
          Importance.HIGH,
          "Kafka's security protocol of the listener: PLAINTEXT, SSL (TLS, clients anonymous), SASL_PLAINTEXT or "
              + "SASL_SSL (clients log in as Brook users with kafka.sasl.enabled.mechanisms; SSL variants need "
              + "kafka.ssl.key.location and kafka.ssl.certificate.location). Empty: PLAINTEXT where anonymous clients "
              + "are allowed (security.allow.anonymous, or a loopback kafka.host), SASL_PLAINTEXT otherwise. A "
              + "protocol without SASL where anonymous clients are not allowed stops the node.")
      .define(LISTENERS, Type.STRING, "", new Listeners(), Importance.HIGH,
          "Kafka's listeners, when one node serves several: PROTOCOL://host:port, comma-separated, one per "
              + "security protocol (e.g. PLAINTEXT://127.0.0.1:9092,SASL_SSL://0.0.0.0:9093); the protocol is also "
              + "the listener's name, which advertised.listeners and the Metadata a client gets follow (a client "
              + "is told the endpoints of the listener it came through). Set, it replaces kafka.host, a positive "
              + "kafka.port and kafka.security.protocol; kafka.port=-1 still turns every listener off.")
      .define(SASL_MECHANISMS, Type.LIST, String.join(",", MECHANISMS), new Mechanisms(), Importance.MEDIUM,
          "SASL mechanisms a SASL listener offers (Kafka's sasl.enabled.mechanisms), checked against the users' "
              + "credentials (`brook users`): SCRAM-SHA-256 and SCRAM-SHA-512 (the password never crosses the "
              + "network) and PLAIN (the password is sent: use it with SASL_SSL).")
      .define(SSL_KEY, Type.STRING, "", Importance.MEDIUM,
          "PEM private key of the listener's TLS identity (SSL and SASL_SSL).")
      .define(SSL_CERTIFICATE, Type.STRING, "", Importance.MEDIUM,
          "PEM certificate chain of the listener's TLS identity (SSL and SASL_SSL); checked when the node starts.")
      .define(FAILED_AUTHENTICATION_DELAY_MS, Type.INT, 100, Range.between(0, 60_000), Importance.LOW,
          "A failed SASL authentication is answered, and its connection closed, this much later (Kafka's default), "
              + "so that a client guessing passwords gets few tries per second per connection.")
      .define(ADVERTISED_LISTENERS, Type.STRING, "", new Listeners(), Importance.MEDIUM,
          "Where Kafka clients are told to reach this broker (Metadata, FindCoordinator, DescribeCluster): "
              + "PROTOCOL://host:port per listener, comma-separated, for a host name or port that differs from what "
              + "the listener binds (NAT, containers); a listener left out is advertised as it binds.")
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

  /** A subset of {@link #MECHANISMS}, not empty. */
  private static final class Mechanisms implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      @SuppressWarnings("unchecked")
      List<String> mechanisms = (List<String>) value;
      if (mechanisms.isEmpty() || !MECHANISMS.containsAll(mechanisms)) {
        throw new ConfigException(name, value, "must name some of " + MECHANISMS);
      }
    }

    @Override
    public String toString() {
      return "some of " + MECHANISMS;
    }
  }

  /** PROTOCOL://host:port, comma-separated, each protocol once; or empty. */
  private static final class Listeners implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      try {
        KafkaEndpoint.parseAll((String) value);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "PROTOCOL://host:port,..., or empty";
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

  /**
   * The listeners this node binds: {@code listeners}, else one on {@code kafka.host:kafka.port} with
   * {@code kafka.security.protocol} (or its default).
   */
  public List<KafkaEndpoint> listeners(Map<String, ?> nodeConfig) {
    List<KafkaEndpoint> listed = KafkaEndpoint.parseAll(getString(LISTENERS));
    if (!listed.isEmpty()) {
      return listed;
    }
    String set = getString(SECURITY_PROTOCOL);
    String protocol = !set.isEmpty() ? set : anonymousAllowed(nodeConfig, host()) ? "PLAINTEXT" : "SASL_PLAINTEXT";
    return List.of(new KafkaEndpoint(protocol, host(), port()));
  }

  /**
   * Where clients are told to connect, per listener in the order of {@link #listeners}: its entry in
   * {@code advertised.listeners}, else its own host and port.
   *
   * @throws ConfigException when {@code advertised.listeners} names a protocol no listener has
   */
  public List<KafkaEndpoint> advertised(Map<String, ?> nodeConfig) {
    List<KafkaEndpoint> bound = listeners(nodeConfig);
    List<KafkaEndpoint> named = KafkaEndpoint.parseAll(getString(ADVERTISED_LISTENERS));
    for (KafkaEndpoint endpoint : named) {
      if (bound.stream().noneMatch(b -> b.securityProtocol().equals(endpoint.securityProtocol()))) {
        throw new ConfigException(ADVERTISED_LISTENERS, getString(ADVERTISED_LISTENERS), "no listener is "
            + endpoint.securityProtocol() + " (the listeners are " + KafkaEndpoint.format(bound) + ")");
      }
    }
    return bound.stream().map(b -> named.stream().filter(n -> n.securityProtocol().equals(b.securityProtocol()))
        .findFirst().orElse(b)).toList();
  }

  public List<String> saslMechanisms() {
    return getList(SASL_MECHANISMS);
  }

  /** The TLS identity, checked now (readable files, certificates valid). */
  public ListenerTls tlsIdentity() {
    return ListenerTls.checked(SECURITY_PROTOCOL, getString(SSL_KEY), getString(SSL_CERTIFICATE));
  }

  public int failedAuthenticationDelayMs() {
    return getInt(FAILED_AUTHENTICATION_DELAY_MS);
  }

  /**
   * The one configuration the listener refuses: a listener without SASL (clients without credentials) where
   * they are not allowed. Null when there is nothing wrong.
   */
  public String problem(Map<String, ?> nodeConfig) {
    for (KafkaEndpoint listener : listeners(nodeConfig)) {
      if (!sasl(listener) && !anonymousAllowed(nodeConfig, listener.host())) {
        return "the Kafka listener " + listener + " serves clients without credentials, and they are not allowed "
            + "there (security.allow.anonymous, or a host reachable from other hosts); use SASL_SSL or "
            + "SASL_PLAINTEXT (" + SECURITY_PROTOCOL + ", " + LISTENERS + "), or set kafka.port=-1";
      }
    }
    return null;
  }

  /** Warnings where passwords would cross the network in the clear: PLAIN without TLS on a non-loopback host. */
  public List<String> plaintextWarnings(Map<String, ?> nodeConfig) {
    return listeners(nodeConfig).stream()
        .filter(l -> sasl(l) && !tls(l) && saslMechanisms().contains("PLAIN") && !loopback(l.host()))
        .map(l -> "The Kafka listener " + l + " takes SASL/PLAIN passwords without TLS: they cross the network in "
            + "the clear; use SASL_SSL, or leave PLAIN out of " + SASL_MECHANISMS).toList();
  }

  /** Whether clients of {@code listener} log in (SASL_PLAINTEXT, SASL_SSL). */
  static boolean sasl(KafkaEndpoint listener) {
    return listener.securityProtocol().startsWith("SASL_");
  }

  /** Whether {@code listener}'s connections are TLS (SSL, SASL_SSL). */
  static boolean tls(KafkaEndpoint listener) {
    return listener.securityProtocol().endsWith("SSL");
  }

  private static boolean loopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /**
   * Whether clients without credentials may connect to a listener on {@code host}: as
   * {@code security.allow.anonymous} says in {@code nodeConfig}, and by default only on a loopback host (as
   * the HTTP API and the bridge decide). Resolves the host if it is a name.
   */
  static boolean anonymousAllowed(Map<String, ?> nodeConfig, String host) {
    Object set = nodeConfig.get("security.allow.anonymous");
    return set != null ? Boolean.parseBoolean(String.valueOf(set)) : loopback(host);
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
