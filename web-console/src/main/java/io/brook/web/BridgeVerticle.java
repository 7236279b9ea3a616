package io.brook.web;

import io.brook.protocol.Addresses;
import io.brook.protocol.codec.BrookCodecs;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;

/**
 * The TCP event bus bridge (4-byte length + JSON frames) on {@code bridge.host:bridge.port}, for
 * clients that do not join the cluster. Only the client addresses ({@link
 * Addresses#CLIENT_ADDRESS_REGEX}) are permitted, in and out, so replication, controller and
 * broker-local addresses are refused with {@code access_denied}. Brokers answer a JSON body with
 * JSON. Does nothing when {@code bridge.port} is -1. Runs on one event loop.
 */
public final class BridgeVerticle extends VerticleBase {
  private TcpEventBusBridge bridge;
  private int actualPort = -1;

  @Override
  public Future<?> start() {
    WebConsoleConfig config = WebConsoleConfig.fromJson(config());
    if (!config.bridgeEnabled()) {
      return Future.succeededFuture();
    }
    BrookCodecs.register(vertx.eventBus());
    PermittedOptions clientAddresses = new PermittedOptions().setAddressRegex(Addresses.CLIENT_ADDRESS_REGEX);
    BridgeOptions options = new BridgeOptions()
        .addInboundPermitted(clientAddresses)
        .addOutboundPermitted(clientAddresses);
    NetServerOptions server = new NetServerOptions().setTcpNoDelay(true);
    bridge = TcpEventBusBridge.create(vertx, options, server, BridgeVerticle::onBridgeEvent);
    return bridge.listen(config.bridgePort(), config.bridgeHost()).onSuccess(listening -> {
      // TcpEventBusBridge hides its NetServer: with port 0 the bound port stays unknown
      actualPort = config.bridgePort() > 0 ? config.bridgePort() : -1;
    });
  }

  @Override
  public Future<?> stop() {
    return bridge == null ? Future.succeededFuture() : bridge.close();
  }

  /** The port bound, or -1 when the bridge is disabled or listens on a port chosen by the OS. */
  public int actualPort() {
    return actualPort;
  }

  /**
   * Client addresses are request/reply only. A bridge client that {@code register}ed on one would
   * join the round robin of that address and receive other clients' requests, and a
   * {@code publish} would hit every broker at once: both are refused.
   */
  private static void onBridgeEvent(BridgeEvent event) {
    BridgeEventType type = event.type();
    event.complete(type != BridgeEventType.REGISTER && type != BridgeEventType.PUBLISH);
  }
}
