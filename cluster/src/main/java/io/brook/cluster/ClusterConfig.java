package io.brook.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * How a JVM joins the Brook cluster: which cluster manager, where the other members are, and the
 * address of its event bus, and the TLS of the event bus and of the ZooKeeper client. Brokers and
 * clients (perf tool, applications) use the same keys. The constructor refuses a combination that
 * cannot work with one line naming the key; the files the TLS keys name are read and checked when the
 * member starts ({@link BrookCluster}, {@link ZookeeperTls}).
 */
public final class ClusterConfig extends AbstractConfig {
  public static final String CLUSTER_MANAGER = "cluster.manager";
  public static final String CLUSTER_NAME = "cluster.name";
  public static final String CLUSTER_HOST = "cluster.host";
  public static final String CLUSTER_PORT = "cluster.port";
  public static final String CLUSTER_MEMBERS = "cluster.members";
  public static final String ZOOKEEPER_CONNECT = "zookeeper.connect";
  public static final String ZOOKEEPER_ROOT = "zookeeper.root";
  public static final String ZOOKEEPER_SESSION_TIMEOUT_MS = "zookeeper.session.timeout.ms";
  public static final String EVENTBUS_PORT = "eventbus.port";
  public static final String HAZELCAST_MAX_NO_HEARTBEAT_SECONDS = "cluster.hazelcast.max.no.heartbeat.seconds";
  public static final String INTER_BROKER_TLS = "security.inter.broker.tls";
  public static final String INTER_BROKER_KEY = "security.inter.broker.ssl.key.location";
  public static final String INTER_BROKER_CERTIFICATE = "security.inter.broker.ssl.certificate.location";
  public static final String INTER_BROKER_TRUSTED = "security.inter.broker.ssl.truststore.location";
  public static final String HAZELCAST_UNENCRYPTED_ACCEPTED = "security.hazelcast.unencrypted.membership.accepted";
  public static final String ZOOKEEPER_TLS = "zookeeper.ssl.client.enable";
  public static final String ZOOKEEPER_CLIENT_SOCKET = "zookeeper.clientCnxnSocket";
  public static final String ZOOKEEPER_KEYSTORE = "zookeeper.ssl.keystore.location";
  public static final String ZOOKEEPER_KEYSTORE_PASSWORD = "zookeeper.ssl.keystore.password";
  public static final String ZOOKEEPER_KEYSTORE_TYPE = "zookeeper.ssl.keystore.type";
  public static final String ZOOKEEPER_TRUSTSTORE = "zookeeper.ssl.truststore.location";
  public static final String ZOOKEEPER_TRUSTSTORE_PASSWORD = "zookeeper.ssl.truststore.password";
  public static final String ZOOKEEPER_TRUSTSTORE_TYPE = "zookeeper.ssl.truststore.type";
  public static final String ZOOKEEPER_ENDPOINT_IDENTIFICATION = "zookeeper.ssl.endpoint.identification.algorithm";
  public static final String ZOOKEEPER_TLS_PROTOCOL = "zookeeper.ssl.protocol";
  /** The ZooKeeper client socket that speaks TLS (its NIO socket does not). */
  public static final String ZOOKEEPER_NETTY_SOCKET = "org.apache.zookeeper.ClientCnxnSocketNetty";

  public static final String HAZELCAST = "hazelcast";
  public static final String ZOOKEEPER = "zookeeper";

  private static final ConfigDef.Validator STORE_TYPES = ConfigDef.CaseInsensitiveValidString.in("", "PEM", "PKCS12", "JKS");

  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(CLUSTER_MANAGER, Type.STRING, HAZELCAST, ValidString.in(HAZELCAST, ZOOKEEPER), Importance.HIGH,
          "Cluster manager: 'hazelcast' (embedded, TCP join, the default) or 'zookeeper' (needs zookeeper.connect).")
      .define(CLUSTER_NAME, Type.STRING, "brook", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
          "Name of the cluster; members with another name (Hazelcast cluster name, ZooKeeper root) never meet.")
      .define(CLUSTER_HOST, Type.STRING, "127.0.0.1", Importance.HIGH,
          "Interface the cluster manager and the event bus bind to and advertise.")
      .define(CLUSTER_PORT, Type.INT, 5701, ConfigDef.Range.between(1, 65535), Importance.MEDIUM,
          "Hazelcast member port; taken or not, the next free one of the 100 above it is used.")
      .define(CLUSTER_MEMBERS, Type.LIST, List.of("127.0.0.1:5701-5703"), Importance.HIGH,
          "Hazelcast TCP join members: host, host:port or host:firstPort-lastPort. No multicast. List exactly the "
              + "brokers' addresses: after a split, every listed address where nobody listens delays the merge by 5 s "
              + "(the default fits three brokers on one machine).")
      .define(ZOOKEEPER_CONNECT, Type.STRING, "127.0.0.1:2181", Importance.HIGH,
          "ZooKeeper connect string (host:port[,host:port...]) when cluster.manager=zookeeper.")
      .define(ZOOKEEPER_ROOT, Type.STRING, "brook", Importance.LOW,
          "ZooKeeper root path under which Vert.x keeps the cluster state; the cluster name is appended.")
      .define(ZOOKEEPER_SESSION_TIMEOUT_MS, Type.INT, 6000, ConfigDef.Range.atLeast(1000), Importance.MEDIUM,
          "ZooKeeper session timeout; a member whose session expires is reported gone (a hint that speeds up "
              + "failover; brokers re-register by themselves if they were only cut off). The server must allow it: "
              + "between 2 and 20 times its tickTime. Also how long a member joining waits for its first connection "
              + "before it gives up with the reason (a refused TLS handshake, nobody listening).")
      .define(HAZELCAST_MAX_NO_HEARTBEAT_SECONDS, Type.INT, 6, ConfigDef.Range.atLeast(2), Importance.MEDIUM,
          "Hazelcast removes a member after this long without a heartbeat (sent every second); its \"node left\" "
              + "speeds up failover. Hazelcast's own default of 60 s would leave a frozen member in the cluster, its "
              + "event bus addresses routed to, for a minute.")
      .define(EVENTBUS_PORT, Type.INT, 0, ConfigDef.Range.between(0, 65535), Importance.LOW,
          "TCP port of the clustered event bus; 0 picks a free one.")
      .define(INTER_BROKER_TLS, Type.BOOLEAN, false, Importance.HIGH,
          "Mutual TLS on the clustered event bus: every member (broker or client such as bin/brook) presents a "
              + "certificate signed by a CA in security.inter.broker.ssl.truststore.location and accepts only peers "
              + "that do; a member without one exchanges no event bus message. Host names are not verified (the "
              + "CA is the cluster's). Covers event bus traffic only: Hazelcast's own member traffic stays in the "
              + "clear (TLS there is Hazelcast Enterprise), so with Hazelcast this needs "
              + "security.hazelcast.unencrypted.membership.accepted=true; use ZooKeeper with TLS for a secure cluster.")
      .define(INTER_BROKER_KEY, Type.STRING, "", Importance.HIGH,
          "PEM file (PKCS#8) with this member's private key, for security.inter.broker.tls.")
      .define(INTER_BROKER_CERTIFICATE, Type.STRING, "", Importance.HIGH,
          "PEM file with this member's certificate (chain), signed by the cluster's CA.")
      .define(INTER_BROKER_TRUSTED, Type.STRING, "", Importance.HIGH,
          "PEM file with the CA certificate(s) a peer's certificate must be signed by.")
      .define(HAZELCAST_UNENCRYPTED_ACCEPTED, Type.BOOLEAN, false, Importance.MEDIUM,
          "With cluster.manager=hazelcast and security.inter.broker.tls=true: the operator accepts that Hazelcast's "
              + "membership traffic (member list, the event bus's address map) is neither encrypted nor "
              + "authenticated. Without it such a member refuses to start.")
      .define(ZOOKEEPER_TLS, Type.BOOLEAN, false, Importance.HIGH,
          "With cluster.manager=zookeeper: connect to ZooKeeper's secure client port with TLS, presenting the "
              + "certificate in zookeeper.ssl.keystore.location (mutual TLS when the server sets ssl.clientAuth=need) "
              + "and trusting only the CA(s) in zookeeper.ssl.truststore.location. Set for this member's own ZooKeeper "
              + "client, not JVM-wide; when set, Brook's zookeeper.ssl.* keys override ZooKeeper's own system "
              + "properties (zookeeper.client.secure, zookeeper.ssl.keyStore.location, ...), which apply when it is not.")
      .define(ZOOKEEPER_CLIENT_SOCKET, Type.STRING, "", Importance.LOW,
          "ZooKeeper client socket class; empty: " + ZOOKEEPER_NETTY_SOCKET + " when zookeeper.ssl.client.enable=true "
              + "(the only one with TLS), ZooKeeper's default (NIO) otherwise.")
      .define(ZOOKEEPER_KEYSTORE, Type.STRING, "", Importance.HIGH,
          "Key store with this member's private key and certificate for ZooKeeper TLS. PEM: one file with the key "
              + "(PKCS#8) and the certificate, as bin/brook-certs writes NAME.keystore.pem; or PKCS12, JKS. Needed "
              + "when the ZooKeeper server requires client certificates (its default).")
      .define(ZOOKEEPER_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
          "Password of zookeeper.ssl.keystore.location (PEM: of an encrypted private key; none for brook-certs' files).")
      .define(ZOOKEEPER_KEYSTORE_TYPE, Type.STRING, "", STORE_TYPES, Importance.LOW,
          "PEM, PKCS12 or JKS; empty: from the file name's extension (.pem, .p12, .jks).")
      .define(ZOOKEEPER_TRUSTSTORE, Type.STRING, "", Importance.HIGH,
          "Trust store with the CA certificate(s) ZooKeeper's certificate must be signed by (PEM: ca.pem of "
              + "bin/brook-certs); required when zookeeper.ssl.client.enable=true.")
      .define(ZOOKEEPER_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
          "Password of zookeeper.ssl.truststore.location (PKCS12, JKS; none for PEM).")
      .define(ZOOKEEPER_TRUSTSTORE_TYPE, Type.STRING, "", STORE_TYPES, Importance.LOW,
          "PEM, PKCS12 or JKS; empty: from the file name's extension.")
      .define(ZOOKEEPER_ENDPOINT_IDENTIFICATION, Type.STRING, "HTTPS", ConfigDef.CaseInsensitiveValidString.in("HTTPS", ""),
          Importance.LOW, "HTTPS: ZooKeeper's certificate must name the host (or IP address) of zookeeper.connect it "
              + "was reached at, as Kafka; empty: any certificate from a trusted CA is accepted.")
      .define(ZOOKEEPER_TLS_PROTOCOL, Type.STRING, "TLSv1.2", new ConfigDef.NonEmptyString(), Importance.LOW,
          "TLS protocol of the ZooKeeper client (ZooKeeper's and Kafka's default); TLSv1.3 if the server allows it.");

  public ClusterConfig(Map<String, ?> values) {
    super(CONFIG_DEF, values, false);
    if (interBrokerTls()) {
      for (String key : List.of(INTER_BROKER_KEY, INTER_BROKER_CERTIFICATE, INTER_BROKER_TRUSTED)) {
        if (getString(key).isBlank()) {
          throw new ConfigException(key, "", "required when " + INTER_BROKER_TLS + "=true");
        }
      }
      if (HAZELCAST.equals(clusterManager()) && !getBoolean(HAZELCAST_UNENCRYPTED_ACCEPTED)) {
        throw new ConfigException(INTER_BROKER_TLS, true, "Hazelcast's open-source edition cannot encrypt or "
            + "authenticate its member traffic, so the cluster membership would stay open: use "
            + "cluster.manager=zookeeper (with TLS) for a secure cluster, or set "
            + HAZELCAST_UNENCRYPTED_ACCEPTED + "=true to encrypt only the event bus");
      }
    }
    if (zookeeperTls()) {
      if (getString(ZOOKEEPER_TRUSTSTORE).isBlank()) {
        throw new ConfigException(ZOOKEEPER_TRUSTSTORE, "", "required when " + ZOOKEEPER_TLS + "=true (the CA that "
            + "signed ZooKeeper's certificate; bin/brook-certs writes it as ca.pem)");
      }
      String socket = zookeeperClientSocket();
      if (!socket.equals(ZOOKEEPER_NETTY_SOCKET)) {
        throw new ConfigException(ZOOKEEPER_CLIENT_SOCKET, socket, "must be " + ZOOKEEPER_NETTY_SOCKET + " (or empty) "
            + "when " + ZOOKEEPER_TLS + "=true: ZooKeeper's other client socket has no TLS");
      }
    }
  }

  public static ClusterConfig defaults() {
    return new ClusterConfig(Map.of());
  }

  public String clusterManager() {
    return getString(CLUSTER_MANAGER);
  }

  public String clusterName() {
    return getString(CLUSTER_NAME);
  }

  public String host() {
    return getString(CLUSTER_HOST);
  }

  public int hazelcastPort() {
    return getInt(CLUSTER_PORT);
  }

  /** The member list with port ranges expanded: {@code a:1-3} gives {@code a:1, a:2, a:3}. */
  public List<String> hazelcastMembers() {
    List<String> members = new ArrayList<>();
    for (String member : getList(CLUSTER_MEMBERS)) {
      members.addAll(expand(member.trim()));
    }
    return members;
  }

  public String zookeeperConnect() {
    return getString(ZOOKEEPER_CONNECT);
  }

  public String zookeeperRoot() {
    return getString(ZOOKEEPER_ROOT) + "/" + clusterName();
  }

  public int zookeeperSessionTimeoutMs() {
    return getInt(ZOOKEEPER_SESSION_TIMEOUT_MS);
  }

  public int hazelcastMaxNoHeartbeatSeconds() {
    return getInt(HAZELCAST_MAX_NO_HEARTBEAT_SECONDS);
  }

  public int eventBusPort() {
    return getInt(EVENTBUS_PORT);
  }

  public boolean interBrokerTls() {
    return getBoolean(INTER_BROKER_TLS);
  }

  public String interBrokerKey() {
    return getString(INTER_BROKER_KEY);
  }

  public String interBrokerCertificate() {
    return getString(INTER_BROKER_CERTIFICATE);
  }

  public String interBrokerTrusted() {
    return getString(INTER_BROKER_TRUSTED);
  }

  /** Whether this member's ZooKeeper client uses TLS, as {@code zookeeper.ssl.client.enable} says. */
  public boolean zookeeperTls() {
    return getBoolean(ZOOKEEPER_TLS);
  }

  /** Whether {@code zookeeper.ssl.client.enable} was given: only then do Brook's keys override ZooKeeper's system properties. */
  public boolean zookeeperTlsConfigured() {
    return originals().containsKey(ZOOKEEPER_TLS);
  }

  /** The ZooKeeper client socket class: the configured one, else Netty with TLS, else "" (ZooKeeper's default). */
  public String zookeeperClientSocket() {
    String socket = getString(ZOOKEEPER_CLIENT_SOCKET);
    return socket.isBlank() && zookeeperTls() ? ZOOKEEPER_NETTY_SOCKET : socket.trim();
  }

  public String zookeeperKeystore() {
    return getString(ZOOKEEPER_KEYSTORE);
  }

  public String zookeeperKeystorePassword() {
    return password(ZOOKEEPER_KEYSTORE_PASSWORD);
  }

  /** The key store's type in ZooKeeper's spelling, or "" to let ZooKeeper infer it from the file name. */
  public String zookeeperKeystoreType() {
    return getString(ZOOKEEPER_KEYSTORE_TYPE).toUpperCase(Locale.ROOT);
  }

  public String zookeeperTruststore() {
    return getString(ZOOKEEPER_TRUSTSTORE);
  }

  public String zookeeperTruststorePassword() {
    return password(ZOOKEEPER_TRUSTSTORE_PASSWORD);
  }

  public String zookeeperTruststoreType() {
    return getString(ZOOKEEPER_TRUSTSTORE_TYPE).toUpperCase(Locale.ROOT);
  }

  /** Whether ZooKeeper's certificate must match the host it was reached at (endpoint identification HTTPS). */
  public boolean zookeeperHostnameVerification() {
    return !getString(ZOOKEEPER_ENDPOINT_IDENTIFICATION).isBlank();
  }

  public String zookeeperTlsProtocol() {
    return getString(ZOOKEEPER_TLS_PROTOCOL);
  }

  private String password(String key) {
    Password password = getPassword(key);
    return password == null ? "" : password.value();
  }

  static List<String> expand(String member) {
    int colon = member.lastIndexOf(':');
    int dash = member.indexOf('-', colon + 1);
    if (colon < 0 || dash < 0) {
      return List.of(member);
    }
    String host = member.substring(0, colon);
    try {
      int first = Integer.parseInt(member.substring(colon + 1, dash));
      int last = Integer.parseInt(member.substring(dash + 1));
      if (first > last || last - first > 100) {
        throw new ConfigException(CLUSTER_MEMBERS, member, "port range must be ascending and at most 100 ports");
      }
      List<String> members = new ArrayList<>();
      for (int port = first; port <= last; port++) {
        members.add(host + ":" + port);
      }
      return members;
    } catch (NumberFormatException e) {
      throw new ConfigException(CLUSTER_MEMBERS, member, "expected host:firstPort-lastPort");
    }
  }
}
