package io.brook.protocol.message;

import java.util.List;

/** Ask any broker for cluster metadata; {@code topics} null or empty means every topic. */
public record MetadataRequest(List<String> topics) {
  public static MetadataRequest all() {
    return new MetadataRequest(List.of());
  }
}
