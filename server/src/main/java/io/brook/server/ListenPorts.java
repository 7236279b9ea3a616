package io.brook.server;

import io.brook.kafka.KafkaListenerConfig;
import io.brook.web.WebConsoleConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The HTTP, bridge and Kafka ports, tried before the node joins its cluster: a port another process holds
 * refuses the start in a second, with the key to change, instead of after the broker has joined,
 * registered and led its partitions. Only a pre-check: the web verticles bind for real later (and
 * say which port if they lose a race for it).
 */
final class ListenPorts {
  private ListenPorts() {}

  /** Runs on the launcher's thread, before any event loop exists: the binds may block. */
  static void throwIfTaken(WebConsoleConfig web, KafkaListenerConfig kafka) {
    throwIfTaken("HTTP API", web.httpHost(), web.httpPort(), "http.port (--http-port)");
    if (web.bridgeEnabled()) {
      throwIfTaken("TCP bridge", web.bridgeHost(), web.bridgePort(), "bridge.port (--bridge-port), or -1 for no bridge");
    }
    if (kafka.enabled()) {
      throwIfTaken("Kafka listener", kafka.host(), kafka.port(), "kafka.port (--kafka-port), or -1 for no Kafka listener");
    }
  }

  private static void throwIfTaken(String what, String host, int port, String key) {
    if (port <= 0) {
      return; // a port of its own choosing
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true); // as Netty binds: a port in TIME_WAIT is free
      probe.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new IllegalStateException("the " + what + " cannot listen on " + host + ":" + port + " (" + e.getMessage()
          + "): another process, perhaps another Brook node, holds it; stop it or set " + key, e);
    }
  }
}
