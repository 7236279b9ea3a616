package io.brook.protocol.message;

import java.util.List;

/**
 * Elect partition leaders: {@code preferred} makes each partition's first replica its leader when it
 * is alive and in sync; {@code false} asks for an unclean election of leaderless partitions, which
 * may lose acknowledged records, so only an explicit {@code false} means it (a body without the
 * field, as a bridge client may send, is a preferred election). {@code partitions} as
 * "topic:partition"; empty means all. Answered with an {@link ElectLeadersResponse}.
 */
public record ElectLeadersRequest(Boolean preferred, List<String> partitions) {
  public ElectLeadersRequest {
    preferred = preferred == null || preferred;
    partitions = partitions == null ? List.of() : List.copyOf(partitions); // a null element is refused here
  }
}
