package io.brook.cluster;

import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.spi.cluster.zookeeper.ZookeeperClusterManager;
import io.vertx.spi.cluster.zookeeper.impl.ZKCounter;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.curator.RetryPolicy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.zookeeper.KeeperException;

/**
 * vertx-zookeeper's cluster manager on a Curator client that Brook builds, so that the ZooKeeper
 * client gets this member's own {@code ZKClientConfig} (TLS from {@code zookeeper.ssl.*}); vertx-zookeeper
 * 5.0.7 has no other way to pass one. Given a client, vertx-zookeeper neither starts it nor keeps a
 * retry policy for its counters: this class does both. It closes the client when leaving, as
 * vertx-zookeeper does, and also when joining fails, with a message that says where it tried and,
 * with TLS, why the handshake fails ({@link ZookeeperTls#diagnose}).
 */
final class BrookZookeeperClusterManager extends ZookeeperClusterManager {
  private final CuratorFramework curator;
  private final RetryPolicy retryPolicy;
  private final ClusterConfig config;
  private VertxInternal vertx;
  private volatile boolean joined;
  private volatile boolean stopping;

  BrookZookeeperClusterManager(CuratorFramework curator, RetryPolicy retryPolicy, ClusterConfig config) {
    super(curator, UUID.randomUUID().toString());
    this.curator = curator;
    this.retryPolicy = retryPolicy;
    this.config = config;
  }

  @Override
  public void init(Vertx vertx) {
    super.init(vertx);
    this.vertx = (VertxInternal) vertx;
  }

  /**
   * Connects first, for at most {@code zookeeper.session.timeout.ms}: a server that refuses this
   * member (a TLS handshake it fails, a port that is not ZooKeeper's, nobody listening) is reported
   * then, not after vertx-zookeeper's operations have used up Curator's retries (about 30 s).
   */
  @Override
  public void join(Completable<Void> promise) {
    if (curator.getState() == CuratorFrameworkState.LATENT) {
      curator.start();
    }
    long budgetMs = config.zookeeperSessionTimeoutMs();
    vertx.executeBlocking(() -> curator.blockUntilConnected((int) budgetMs, TimeUnit.MILLISECONDS))
        .onComplete(connected -> {
          if (connected.succeeded() && connected.result()) {
            super.join((done, failure) -> {
              if (failure == null) {
                joined = true;
                promise.succeed();
              } else {
                failJoin(promise, failure);
              }
            });
          } else {
            failJoin(promise, connected.failed() ? connected.cause()
                : new VertxException("no connection within zookeeper.session.timeout.ms=" + budgetMs + " ms", true));
          }
        });
  }

  private void failJoin(Completable<Void> promise, Throwable failure) {
    curator.close();
    vertx.executeBlocking(() -> joinFailure(failure))
        .onComplete(message -> promise.fail(new VertxException(message.result(), failure)));
  }

  /**
   * The member is shutting down: from now on, what cannot reach ZooKeeper is not waited for. Its
   * consumer registrations and its membership are ephemeral znodes of its session, gone with it; but
   * vertx-zookeeper would wait for a connection to delete them one by one, and a broker stopped while
   * ZooKeeper is down never exited.
   */
  void stopping() {
    stopping = true;
  }

  private boolean cutOffWhileStopping() {
    return stopping && !curator.getZookeeperClient().isConnected();
  }

  @Override
  public void removeRegistration(String address, RegistrationInfo registrationInfo, Completable<Void> promise) {
    if (cutOffWhileStopping()) {
      promise.succeed();
      return;
    }
    super.removeRegistration(address, registrationInfo, promise);
  }

  /**
   * A member that never joined has nothing to leave, and its client is closed already (vertx-zookeeper's
   * leave throws then); one that is stopping without a connection only closes its client.
   */
  @Override
  public void leave(Completable<Void> promise) {
    if (!joined) {
      promise.succeed();
      return;
    }
    if (cutOffWhileStopping()) {
      vertx.<Void>executeBlocking(() -> {
        curator.close();
        return null;
      }).onComplete(promise);
      return;
    }
    super.leave(promise);
  }

  /** One line: where, why, and (with TLS) what a handshake says. Blocks up to a few seconds. */
  private String joinFailure(Throwable failure) {
    String where = "Cannot join the cluster through ZooKeeper at " + config.zookeeperConnect() + " (" + reason(failure) + ")";
    if (config.zookeeperTls()) {
      return where + " with TLS: " + ZookeeperTls.diagnose(config) + " (check zookeeper.connect, the server's "
          + "secureClientPort and the zookeeper.ssl.* files)";
    }
    return where + " (no TLS: if that is ZooKeeper's secureClientPort, set " + ClusterConfig.ZOOKEEPER_TLS
        + "=true and the zookeeper.ssl.* keys)";
  }

  /** ZooKeeper's error ("KeeperErrorCode = ConnectionLoss") without the internal path it names. */
  private static String reason(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof KeeperException keeper) {
        return String.valueOf(keeper.getMessage()).replaceFirst(" for /.*$", "");
      }
    }
    return String.valueOf(failure.getMessage());
  }

  @Override
  public void getCounter(String name, Completable<Counter> promise) {
    vertx.<Counter>executeBlocking(() -> new ZKCounter(vertx, curator, name, retryPolicy)).onComplete(promise);
  }
}
