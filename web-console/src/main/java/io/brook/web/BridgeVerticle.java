package io.brook.web;

import io.brook.protocol.Addresses;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.web.bridge.BridgeServer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The TCP event bus bridge (4-byte length + JSON frames, the Vert.x TCP bridge's protocol) on
 * {@code bridge.host:bridge.port}, for clients that do not join the cluster. Only the client
 * addresses ({@link Addresses#CLIENT_ADDRESS_REGEX}) are permitted, so replication, controller and
 * broker-local addresses are refused with {@code access_denied}; frames, connections and in-flight
 * requests are bounded ({@code bridge.max.*}), as are the bytes of partly read frames over all
 * connections ({@code bridge.max.buffered.bytes}); idle and slow connections are closed
 * ({@code bridge.idle.timeout.ms}, {@code bridge.frame.read.timeout.ms}). Brokers answer a JSON
 * body with JSON. Does nothing when {@code bridge.port} is -1. Runs on one event loop.
 *
 * <p>Why not vertx-tcp-eventbus-bridge: its {@code TcpEventBusBridge} owns its NetServer and frame
 * parser (5.0.7 cannot be handed a socket), and that parser buffers whatever length a frame
 * declares and logs a stack trace per malformed frame. {@link BridgeServer} keeps its wire protocol.
 */
public final class BridgeVerticle extends VerticleBase {
  private BridgeServer server;

  @Override
  public Future<?> start() {
    WebConsoleConfig config = WebConsoleConfig.fromJson(config());
    if (!config.bridgeEnabled()) {
      return Future.succeededFuture();
    }
    BrookCodecs.register(vertx.eventBus());
    server = new BridgeServer(vertx, config);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The most bytes one frame has held so far; 0 when the bridge is disabled. */
  public int peakFrameBytes() {
    return server == null ? 0 : server.peakFrameBytes();
  }

  /** Connections open now; 0 when the bridge is disabled. */
  public int connections() {
    return server == null ? 0 : server.connections();
  }

  /** Bytes of partly read frames held now, over all connections (bridge.max.buffered.bytes bounds it). */
  public long bufferedBytes() {
    return server == null ? 0 : server.bufferedBytes();
  }

  /** The most bytes of partly read frames held at once so far; 0 when the bridge is disabled. */
  public long peakBufferedBytes() {
    return server == null ? 0 : server.peakBufferedBytes();
  }

  /** The port bound (useful with {@code bridge.port = 0}), or -1 when the bridge is disabled. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
