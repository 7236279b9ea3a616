package io.brook.protocol.message;

import java.util.List;

/**
 * Elect partition leaders: {@code preferred} makes each partition's first replica its leader when it
 * is alive and in sync; otherwise an unclean election of leaderless partitions. {@code partitions}
 * as "topic:partition"; empty means all. Answered with an {@link ElectLeadersResponse}.
 */
public record ElectLeadersRequest(boolean preferred, List<String> partitions) {}
