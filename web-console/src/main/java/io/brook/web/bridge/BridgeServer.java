package io.brook.web.bridge;

import io.brook.web.ListenerAuthentication;
import io.brook.web.RateLimitedLog;
import io.brook.web.WebConsoleConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.lang.System.Logger.Level;

/**
 * The bridge's listener: accepts at most {@code bridge.max.connections} connections (one more gets
 * an err frame and is closed at once) and hands each to a {@link BridgeConnection}. Owned by the
 * event loop of the verticle that created it; the connection count is that loop's.
 */
public final class BridgeServer {
  private final Vertx vertx;
  private final String host;
  private final int port;
  private final int maxConnections;
  private final BridgeConnection.Limits limits;
  private final ListenerAuthentication authentication;
  private final NetServer server;
  private final RateLimitedLog clientErrors = RateLimitedLog.of(BridgeConnection.class);
  private int connections;
  private volatile int peakFrameBytes; // written on the event loop, read by tests and metrics

  public BridgeServer(Vertx vertx, WebConsoleConfig config) {
    this.vertx = vertx;
    this.host = config.bridgeHost();
    this.port = config.bridgePort();
    this.maxConnections = config.bridgeMaxConnections();
    this.limits = new BridgeConnection.Limits(config.bridgeMaxFrameBytes(), config.bridgeMaxInflightRequests());
    this.authentication = new ListenerAuthentication(vertx, config.allowAnonymous());
    NetServerOptions options = new NetServerOptions().setTcpNoDelay(true);
    config.bridgeTls().ifPresent(tls -> tls.applyTo(options));
    this.server = vertx.createNetServer(options);
    server.connectHandler(this::onConnect);
  }

  public Future<NetServer> listen() {
    return server.listen(port, host);
  }

  public Future<Void> close() {
    return server.close();
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** The most bytes one frame has held so far, over all connections: at most bridge.max.frame.bytes. */
  public int peakFrameBytes() {
    return peakFrameBytes;
  }

  /** Connections open now. */
  public int connections() {
    return connections;
  }

  private void onConnect(NetSocket socket) {
    if (connections >= maxConnections) {
      clientErrors.log(Level.WARNING, "Bridge connection from " + socket.remoteAddress() + " refused: "
          + connections + " connections are open (bridge.max.connections)");
      socket.handler(ignored -> {}); // nothing it sends is read
      socket.write(BridgeFrames.err("too_many_connections: " + connections
          + " connections are open (bridge.max.connections)", null));
      socket.close();
      return;
    }
    connections++;
    new BridgeConnection(vertx.eventBus(), socket, limits, clientErrors, this::onFrameBytes, authentication)
        .start(() -> connections--);
  }

  private void onFrameBytes(int bytes) {
    if (bytes > peakFrameBytes) {
      peakFrameBytes = bytes;
    }
  }
}
