package io.brook.protocol.message;

import java.util.List;

/** The groups coordinated by the broker asked, in the given states (Kafka's names, any case; empty: all). */
public record ListGroupsRequest(@Nullable List<String> statesFilter) {}
