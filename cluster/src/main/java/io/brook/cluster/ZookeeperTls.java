package io.brook.cluster;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.apache.kafka.common.config.ConfigException;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;
import org.apache.zookeeper.common.X509Exception;
import org.apache.zookeeper.common.X509Util;

/**
 * The ZooKeeper client's TLS, from Brook's {@code zookeeper.ssl.*} keys (Kafka's names). They become
 * a {@link ZKClientConfig} handed to this member's own ZooKeeper client (through Curator), never
 * JVM-wide system properties: two members in one JVM may use different certificates, or one TLS and
 * one not.
 *
 * <p>{@link #check} reads the key and trust stores at start with ZooKeeper's own loaders (so a file
 * that passes is one ZooKeeper can use) and refuses a missing, unreadable or expired one with one line
 * naming the key. {@link #diagnose} explains a failed join: it makes one TLS handshake with the first
 * ZooKeeper server as the client would and reports why it fails.
 */
public final class ZookeeperTls {
  private static final int HANDSHAKE_TIMEOUT_MS = 3_000;
  private static final int READ_TIMEOUT_MS = 1_000;
  private static final int PROBES = 3;
  private static final String CLOSED = "ZooKeeper closed the connection during the TLS handshake";
  private static final String CLOSED_WHY = "it refuses this member's certificate, or that port speaks no TLS";

  private ZookeeperTls() {}

  /**
   * The client config of this member's ZooKeeper client. It starts from ZooKeeper's own (its system
   * properties); when {@code zookeeper.ssl.client.enable} is given, Brook's keys override them.
   */
  public static ZKClientConfig clientConfig(ClusterConfig config) {
    ZKClientConfig client = new ZKClientConfig();
    if (!config.zookeeperTlsConfigured()) {
      return client;
    }
    client.setProperty(ZKClientConfig.SECURE_CLIENT, Boolean.toString(config.zookeeperTls()));
    if (!config.zookeeperClientSocket().isEmpty()) {
      client.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, config.zookeeperClientSocket());
    }
    if (!config.zookeeperTls()) {
      return client;
    }
    try (X509Util names = new ClientX509Util()) {
      setIfGiven(client, names.getSslKeystoreLocationProperty(), config.zookeeperKeystore());
      setIfGiven(client, names.getSslKeystorePasswdProperty(), config.zookeeperKeystorePassword());
      setIfGiven(client, names.getSslKeystoreTypeProperty(), config.zookeeperKeystoreType());
      client.setProperty(names.getSslTruststoreLocationProperty(), config.zookeeperTruststore());
      setIfGiven(client, names.getSslTruststorePasswdProperty(), config.zookeeperTruststorePassword());
      setIfGiven(client, names.getSslTruststoreTypeProperty(), config.zookeeperTruststoreType());
      client.setProperty(names.getSslHostnameVerificationEnabledProperty(),
          Boolean.toString(config.zookeeperHostnameVerification()));
      client.setProperty(names.getSslProtocolProperty(), config.zookeeperTlsProtocol());
    }
    return client;
  }

  /**
   * With {@code zookeeper.ssl.client.enable=true}: the trust store, and the key store if one is named,
   * must load as ZooKeeper loads them and hold only certificates valid at {@code now}; the key store
   * must hold a private key with its certificate.
   */
  public static void check(ClusterConfig config, Instant now) {
    if (!config.zookeeperTls()) {
      return;
    }
    if (!config.zookeeperKeystore().isBlank()) {
      KeyStore keys = load(ClusterConfig.ZOOKEEPER_KEYSTORE, config.zookeeperKeystore(),
          config.zookeeperKeystorePassword(), config.zookeeperKeystoreType(), true);
      TlsFiles.requireValid(ClusterConfig.ZOOKEEPER_KEYSTORE, config.zookeeperKeystore(),
          keyChain(config.zookeeperKeystore(), keys), now);
    }
    KeyStore trusted = load(ClusterConfig.ZOOKEEPER_TRUSTSTORE, config.zookeeperTruststore(),
        config.zookeeperTruststorePassword(), config.zookeeperTruststoreType(), false);
    TlsFiles.requireValid(ClusterConfig.ZOOKEEPER_TRUSTSTORE, config.zookeeperTruststore(),
        trustedCertificates(config.zookeeperTruststore(), trusted), now);
  }

  /**
   * Why a TLS connection to the first server of {@code zookeeper.connect} fails, in one phrase: a
   * handshake with the SSL context ZooKeeper's client would use (same stores, same host name check).
   * ZooKeeper's client only logs such failures and retries until Curator gives up. A server that
   * refuses a certificate sends an alert and closes at once, so the client may see only the closed
   * connection: tried up to {@link #PROBES} times for the alert.
   */
  public static String diagnose(ClusterConfig config) {
    String first = config.zookeeperConnect().split(",")[0].trim();
    int slash = first.indexOf('/'); // a chroot suffix
    String hostPort = slash < 0 ? first : first.substring(0, slash);
    String outcome = "";
    for (int probe = 0; probe < PROBES; probe++) {
      outcome = probe(config, hostPort);
      if (!outcome.contains(CLOSED)) {
        break;
      }
    }
    return outcome;
  }

  private static String probe(ClusterConfig config, String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try (X509Util x509 = new ClientX509Util();
         SSLSocket socket = (SSLSocket) x509.createSSLContext(clientConfig(config)).getSocketFactory()
             .createSocket()) {
      String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      int port = colon < 0 ? 2181 : Integer.parseInt(hostPort.substring(colon + 1));
      socket.connect(new InetSocketAddress(host, port), HANDSHAKE_TIMEOUT_MS);
      socket.setSoTimeout(HANDSHAKE_TIMEOUT_MS);
      socket.startHandshake();
      // With TLS 1.3 a refused client certificate shows only on the first read; ZooKeeper sends nothing
      // before the client's first request, so a read that times out means the handshake was accepted.
      socket.setSoTimeout(READ_TIMEOUT_MS);
      return socket.getInputStream().read() < 0
          ? "the TLS handshake with " + hostPort + " fails: " + CLOSED + " (" + CLOSED_WHY + ")"
          : "the TLS handshake with " + hostPort + " succeeds";
    } catch (SocketTimeoutException e) {
      return "the TLS handshake with " + hostPort + " succeeds";
    } catch (X509Exception e) {
      return "this member's TLS files cannot be used: " + e.getMessage();
    } catch (IOException | RuntimeException e) {
      return "the TLS handshake with " + hostPort + " fails: " + explain(e);
    }
  }

  /** The usual handshake failures in the operator's terms, with the JDK's own words after them. */
  static String explain(Exception e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("Received fatal alert: bad_certificate") || message.contains("Received fatal alert: certificate_")
        || message.contains("Received fatal alert: unknown_ca")) {
      return "ZooKeeper refused this member's certificate (" + ClusterConfig.ZOOKEEPER_KEYSTORE
          + " must hold one signed by a CA the server trusts; " + message + ")";
    }
    if (message.contains("PKIX") || message.contains("certification path")) {
      return "ZooKeeper's certificate is not signed by a CA in " + ClusterConfig.ZOOKEEPER_TRUSTSTORE + " (" + message + ")";
    }
    if (message.contains("host address") || message.contains("host name") || message.contains("subject alternative")) {
      return "ZooKeeper's certificate does not name the host of zookeeper.connect (" + ClusterConfig.ZOOKEEPER_ENDPOINT_IDENTIFICATION
          + "=HTTPS; " + message + ")";
    }
    if (e instanceof SocketException || e instanceof EOFException || message.contains("Remote host terminated")) {
      return CLOSED + " (" + CLOSED_WHY + "; " + message + ")";
    }
    return e.toString();
  }

  private static void setIfGiven(ZKClientConfig client, String property, String value) {
    if (!value.isEmpty()) {
      client.setProperty(property, value);
    }
  }

  private static KeyStore load(String key, String path, String password, String type, boolean keyStore) {
    TlsFiles.readable(key, path);
    try {
      String storeType = type.isEmpty() ? null : type;
      return keyStore ? X509Util.loadKeyStore(path, password, storeType)
          : X509Util.loadTrustStore(path, password, storeType);
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      String hint = keyStore ? " (a PEM key store holds the private key and the certificate in one file: "
          + "bin/brook-certs writes NAME.keystore.pem)" : "";
      throw new ConfigException(key, path, "cannot load " + path + ": " + e.getMessage() + hint);
    }
  }

  /** The certificate chain of the key store's private key. */
  private static List<X509Certificate> keyChain(String path, KeyStore keys) {
    try {
      for (String alias : Collections.list(keys.aliases())) {
        if (keys.isKeyEntry(alias) && keys.getCertificateChain(alias) != null) {
          return x509(keys.getCertificateChain(alias));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new ConfigException(ClusterConfig.ZOOKEEPER_KEYSTORE, path, "cannot read " + path + ": " + e.getMessage());
    }
    throw new ConfigException(ClusterConfig.ZOOKEEPER_KEYSTORE, path, "no private key with its certificate in " + path
        + " (a PEM key store holds both in one file: bin/brook-certs writes NAME.keystore.pem)");
  }

  private static List<X509Certificate> trustedCertificates(String path, KeyStore trusted) {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      for (String alias : Collections.list(trusted.aliases())) {
        if (trusted.getCertificate(alias) instanceof X509Certificate certificate) {
          certificates.add(certificate);
        }
      }
    } catch (GeneralSecurityException e) {
      throw new ConfigException(ClusterConfig.ZOOKEEPER_TRUSTSTORE, path, "cannot read " + path + ": " + e.getMessage());
    }
    if (certificates.isEmpty()) {
      throw new ConfigException(ClusterConfig.ZOOKEEPER_TRUSTSTORE, path, "no certificate in " + path);
    }
    return certificates;
  }

  private static List<X509Certificate> x509(Certificate[] chain) {
    List<X509Certificate> certificates = new ArrayList<>();
    for (Certificate certificate : chain) {
      certificates.add((X509Certificate) certificate);
    }
    return certificates;
  }
}
