package io.brook.protocol.message;

import java.util.Map;

/** Per "topic:partition", NONE or the Kafka error name of why it was not elected. */
public record ElectLeadersResponse(Map<String, String> results) {}
