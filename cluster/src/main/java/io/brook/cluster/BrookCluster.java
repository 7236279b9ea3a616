package io.brook.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.time.Instant;

/** Starts a clustered Vert.x for a broker or a client. */
public final class BrookCluster {
  private BrookCluster() {}

  /** The event bus options a member uses: bound to {@code cluster.host}, port from config, TLS if asked. */
  public static VertxOptions vertxOptions(ClusterConfig config) {
    VertxOptions options = new VertxOptions();
    configure(options.getEventBusOptions(), config);
    return options;
  }

  /**
   * Sets {@code options} as the config says. With {@code security.inter.broker.tls}: mutual TLS, peers
   * trusted only through the configured CA (Vert.x's event bus trusts every certificate unless told
   * otherwise, and does not verify host names: the CA is the authentication). The key must be readable
   * and the certificates valid now, or this fails with one line naming the key.
   */
  public static EventBusOptions configure(EventBusOptions options, ClusterConfig config) {
    options.setHost(config.host()).setPort(config.eventBusPort()).setTcpNoDelay(true);
    if (config.interBrokerTls()) {
      checkInterBrokerFiles(config, Instant.now());
      options.setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setKeyPath(config.interBrokerKey())
              .setCertPath(config.interBrokerCertificate()))
          .setTrustOptions(new PemTrustOptions().addCertPath(config.interBrokerTrusted()))
          .setTrustAll(false)
          .setClientAuth(ClientAuth.REQUIRED);
    }
    return options;
  }

  static void checkInterBrokerFiles(ClusterConfig config, Instant now) {
    TlsFiles.readable(ClusterConfig.INTER_BROKER_KEY, config.interBrokerKey());
    TlsFiles.requireValid(ClusterConfig.INTER_BROKER_CERTIFICATE, config.interBrokerCertificate(),
        TlsFiles.pemCertificates(ClusterConfig.INTER_BROKER_CERTIFICATE, config.interBrokerCertificate()), now);
    TlsFiles.requireValid(ClusterConfig.INTER_BROKER_TRUSTED, config.interBrokerTrusted(),
        TlsFiles.pemCertificates(ClusterConfig.INTER_BROKER_TRUSTED, config.interBrokerTrusted()), now);
  }

  public static Future<Vertx> start(ClusterConfig config, MemberRole role) {
    return start(config, role, vertxOptions(config));
  }

  public static Future<Vertx> start(ClusterConfig config, MemberRole role, VertxOptions options) {
    Future<Vertx> started = Vertx.builder()
        .with(options)
        .withClusterManager(ClusterManagers.create(config, role))
        .buildClustered();
    return role == MemberRole.CLIENT ? started.onSuccess(BrookCluster::keepMembership) : started;
  }

  /**
   * A client member has no consumers, but brokers reply to it over connections they may open only to
   * members: if the cluster manager dropped it (a lost ZooKeeper session), it writes its membership
   * again. Brokers do more (ClusterHealthVerticle). Checked every second.
   */
  private static void keepMembership(Vertx vertx) {
    boolean[] busy = {false};
    vertx.setPeriodic(MEMBERSHIP_CHECK_MS, id -> {
      if (busy[0]) {
        return;
      }
      busy[0] = true;
      ClusterSelfCheck.check(vertx, java.util.List.of())
          .compose(health -> health.healthy() ? Future.succeededFuture() : ClusterSelfCheck.rejoin(vertx))
          .onComplete(done -> busy[0] = false);
    });
  }

  private static final long MEMBERSHIP_CHECK_MS = 1_000;
}
