package io.brook.metadata;

import java.util.Map;

/** The full set of config overrides of topic {@code name} after a change (not a diff). */
public record TopicConfig(String name, Map<String, String> configs) implements MetadataRecord {

    public TopicConfig {
        RecordChecks.name(name, "name");
        configs = RecordChecks.configs(configs, "configs");
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.TOPIC_CONFIG;
    }
}
