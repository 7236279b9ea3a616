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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bridge's listener: accepts at most {@code bridge.max.connections} connections (one more gets
 * an err frame and is closed at once) and hands each to a {@link BridgeConnection}. All connections
 * share one {@link BufferBudget} of {@code bridge.max.buffered.bytes} for partly read frames, and one
 * periodic sweep closes those past their {@link BridgeTimeouts} (idle, frame read). Owned by the
 * event loop of the verticle that created it; the connections, their count and the sweep are that
 * loop's.
 */
public final class BridgeServer {
  private static final System.Logger LOG = System.getLogger(BridgeServer.class.getName());
  private final Vertx vertx;
  private final String host;
  private final int port;
  private final int maxConnections;
  private final BridgeConnection.Limits limits;
  private final ListenerAuthentication authentication;
  private final BridgeTimeouts timeouts;
  private final NetServer server;
  private final RateLimitedLog clientErrors = RateLimitedLog.of(BridgeConnection.class);
  private final Map<BridgeConnection, long[]> open = new LinkedHashMap<>(); // -> {when last seen with a request}
  private long sweepTimer = -1;
  private volatile int peakFrameBytes; // written on the event loop, read by tests and metrics

  public BridgeServer(Vertx vertx, WebConsoleConfig config) {
    this.vertx = vertx;
    this.host = config.bridgeHost();
    this.port = config.bridgePort();
    this.maxConnections = config.bridgeMaxConnections();
    this.limits = new BridgeConnection.Limits(config.bridgeMaxFrameBytes(), config.bridgeMaxInflightRequests(),
        new BufferBudget(config.bridgeMaxBufferedBytes()), FrameReader::monotonicMs);
    this.timeouts = new BridgeTimeouts(config.bridgeIdleTimeoutMs(), config.bridgeFrameReadTimeoutMs());
    this.authentication = new ListenerAuthentication(vertx, config.allowAnonymous());
    NetServerOptions options = new NetServerOptions().setTcpNoDelay(true);
    config.bridgeTls().ifPresent(tls -> tls.applyTo(options));
    this.server = vertx.createNetServer(options);
    server.connectHandler(this::onConnect);
  }

  public Future<NetServer> listen() {
    sweepTimer = vertx.setPeriodic(timeouts.sweepPeriodMs(), id -> closeExpired());
    return server.listen(port, host);
  }

  public Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
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
    return open.size();
  }

  /** Bytes of partly read frames held now, over all connections: at most bridge.max.buffered.bytes. */
  public long bufferedBytes() {
    return limits.buffered().used();
  }

  /** The most bytes of partly read frames ever held at once: at most bridge.max.buffered.bytes. */
  public long peakBufferedBytes() {
    return limits.buffered().peak();
  }

  private void onConnect(NetSocket socket) {
    int connections = open.size();
    if (connections >= maxConnections) {
      clientErrors.log(Level.WARNING, "Bridge connection from " + socket.remoteAddress() + " refused: "
          + connections + " connections are open (bridge.max.connections)");
      socket.handler(ignored -> {}); // nothing it sends is read
      socket.write(BridgeFrames.err("too_many_connections: " + connections
          + " connections are open (bridge.max.connections)", null));
      socket.close();
      return;
    }
    BridgeConnection connection = new BridgeConnection(vertx.eventBus(), socket, limits, clientErrors,
        this::onFrameBytes, authentication);
    open.put(connection, new long[] {-1});
    connection.start(() -> open.remove(connection));
  }

  /** The sweep: closes, with an err frame saying why, every connection past one of its timeouts. */
  private void closeExpired() {
    long nowMs = limits.clockMs().getAsLong();
    Map<BridgeConnection, String> expired = new LinkedHashMap<>();
    for (Map.Entry<BridgeConnection, long[]> entry : open.entrySet()) {
      BridgeConnection connection = entry.getKey();
      if (connection.inflightRequests() > 0) {
        entry.getValue()[0] = nowMs;
      }
      String reason = timeouts.expired(connection.reader(), entry.getValue()[0], nowMs);
      if (reason != null) {
        expired.put(connection, reason);
      }
    }
    expired.keySet().forEach(open::remove); // closing takes a moment: the next sweep must not close it twice
    expired.forEach((connection, reason) -> {
      if (reason.startsWith(BridgeTimeouts.FRAME_TIMEOUT)) {
        clientErrors.log(Level.INFO, "Bridge client " + connection.remote() + ": " + reason);
      } else {
        LOG.log(Level.DEBUG, () -> "Bridge client " + connection.remote() + ": " + reason);
      }
      connection.closeWith(reason);
    });
  }

  private void onFrameBytes(int bytes) {
    if (bytes > peakFrameBytes) {
      peakFrameBytes = bytes;
    }
  }
}
