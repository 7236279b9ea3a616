package io.brook.protocol;

import java.util.List;
import java.util.Optional;

/**
 * Where Kafka clients reach a broker's Kafka listener, as Metadata and FindCoordinator answer it:
 * one entry of Kafka's {@code listeners} or {@code advertised.listeners}, {@code PROTOCOL://host:port}, the
 * protocol one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL, which is also the listener's name.
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
   * The endpoints of a {@code listeners} or {@code advertised.listeners} value, in its order: comma-separated
   * {@code PROTOCOL://host:port}, each protocol once; none for an empty value.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static List<KafkaEndpoint> parseAll(String listeners) {
    if (listeners == null || listeners.isBlank()) {
      return List.of();
    }
    List<KafkaEndpoint> endpoints = new java.util.ArrayList<>();
    for (String one : listeners.split(",", -1)) {
      KafkaEndpoint endpoint = parseOne(one.trim(), listeners);
      if (endpoints.stream().anyMatch(e -> e.securityProtocol.equals(endpoint.securityProtocol))) {
        throw new IllegalArgumentException("'" + listeners + "' names " + endpoint.securityProtocol
            + " twice: one listener per security protocol");
      }
      endpoints.add(endpoint);
    }
    return List.copyOf(endpoints);
  }

  /** As {@code listeners} writes them. */
  public static String format(List<KafkaEndpoint> endpoints) {
    return String.join(",", endpoints.stream().map(KafkaEndpoint::toString).toList());
  }

  private static KafkaEndpoint parseOne(String value, String whole) {
    int scheme = value.indexOf("://");
    int colon = value.lastIndexOf(':');
    if (scheme < 0 || !SECURITY_PROTOCOLS.contains(value.substring(0, scheme)) || colon <= scheme + 3) {
      throw new IllegalArgumentException("listeners are PROTOCOL://host:port, comma-separated (PROTOCOL one of "
          + SECURITY_PROTOCOLS + "), not '" + whole + "'");
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException("out of range");
      }
      return new KafkaEndpoint(value.substring(0, scheme), value.substring(scheme + 3, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "' names port '" + value.substring(colon + 1)
          + "', not a port number from 0 to 65535");
    }
  }

  /** As {@code advertised.listeners} writes it. */
  @Override
  public String toString() {
    return securityProtocol + "://" + host + ":" + port;
  }
}
