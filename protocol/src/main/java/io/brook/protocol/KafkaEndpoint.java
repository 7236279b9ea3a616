package io.brook.protocol;

import java.util.List;
import java.util.Optional;

/**
 * Where Kafka clients reach a broker's Kafka listener, as Metadata and FindCoordinator answer it:
 * Kafka's {@code advertised.listeners} value, {@code PROTOCOL://host:port}, the protocol one of
 * PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL (one listener per node).
 */
public record KafkaEndpoint(String securityProtocol, String host, int port) {
  /** Kafka's security protocols, as {@code listeners} and {@code security.protocol} name them. */
  public static final List<String> SECURITY_PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

  public KafkaEndpoint {
    if (!SECURITY_PROTOCOLS.contains(securityProtocol)) {
      throw new IllegalArgumentException("security protocol '" + securityProtocol + "' is none of " + SECURITY_PROTOCOLS);
    }
  }

  /** A PLAINTEXT endpoint. */
  public KafkaEndpoint(String host, int port) {
    this("PLAINTEXT", host, port);
  }

  /**
   * The endpoint {@code advertisedListeners} names; empty for an empty value.
   *
   * @throws IllegalArgumentException for anything but one {@code PROTOCOL://host:port}
   */
  public static Optional<KafkaEndpoint> parse(String advertisedListeners) {
    if (advertisedListeners == null || advertisedListeners.isBlank()) {
      return Optional.empty();
    }
    String value = advertisedListeners.trim();
    int scheme = value.indexOf("://");
    int colon = value.lastIndexOf(':');
    if (scheme < 0 || !SECURITY_PROTOCOLS.contains(value.substring(0, scheme)) || colon <= scheme + 3
        || value.contains(",")) {
      throw new IllegalArgumentException("advertised.listeners is one PROTOCOL://host:port (PROTOCOL one of "
          + SECURITY_PROTOCOLS + "; one listener per node), not '" + advertisedListeners + "'");
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException("out of range");
      }
      return Optional.of(new KafkaEndpoint(value.substring(0, scheme), value.substring(scheme + 3, colon), port));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("advertised.listeners names port '" + value.substring(colon + 1)
          + "', not a port number from 1 to 65535");
    }
  }

  /** As {@code advertised.listeners} writes it. */
  @Override
  public String toString() {
    return securityProtocol + "://" + host + ":" + port;
  }
}
