package io.brook.protocol;

import java.util.Optional;

/**
 * Where Kafka clients reach a broker's Kafka listener, as Metadata and FindCoordinator answer it:
 * Kafka's {@code advertised.listeners} value, {@code PLAINTEXT://host:port} (one plaintext listener,
 * until SASL and TLS are served).
 */
public record KafkaEndpoint(String host, int port) {
  private static final String PLAINTEXT = "PLAINTEXT://";

  /**
   * The endpoint {@code advertisedListeners} names; empty for an empty value.
   *
   * @throws IllegalArgumentException for anything but {@code PLAINTEXT://host:port}
   */
  public static Optional<KafkaEndpoint> parse(String advertisedListeners) {
    if (advertisedListeners == null || advertisedListeners.isBlank()) {
      return Optional.empty();
    }
    String value = advertisedListeners.trim();
    int colon = value.lastIndexOf(':');
    if (!value.startsWith(PLAINTEXT) || colon <= PLAINTEXT.length() || value.contains(",")) {
      throw new IllegalArgumentException("advertised.listeners is one PLAINTEXT://host:port for now (SASL and TLS "
          + "listeners come later), not '" + advertisedListeners + "'");
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException("out of range");
      }
      return Optional.of(new KafkaEndpoint(value.substring(PLAINTEXT.length(), colon), port));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("advertised.listeners names port '" + value.substring(colon + 1)
          + "', not a port number from 1 to 65535");
    }
  }

  /** As {@code advertised.listeners} writes it. */
  @Override
  public String toString() {
    return PLAINTEXT + host + ":" + port;
  }
}
