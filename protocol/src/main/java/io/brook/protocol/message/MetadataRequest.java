package io.brook.protocol.message;

import java.util.List;

/** Ask any broker for cluster metadata; {@code topics} left out or empty means every topic. */
public record MetadataRequest(List<String> topics) {
  public MetadataRequest {
    topics = topics == null ? List.of() : List.copyOf(topics);
  }

  public static MetadataRequest all() {
    return new MetadataRequest(List.of());
  }
}
