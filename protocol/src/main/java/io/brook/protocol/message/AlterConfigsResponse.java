package io.brook.protocol.message;

import java.util.Map;

/** The topic's config overrides after the change. */
public record AlterConfigsResponse(String name, Map<String, String> configOverrides) {}
