package io.brook.metadata;

import java.util.Objects;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * User {@code name}'s credential for {@code mechanism} is deleted. A user with no credential left
 * cannot authenticate; the ACLs naming {@code User:name} stay (as in Kafka).
 */
public record RemoveUserScramCredential(String name, ScramMechanism mechanism) implements MetadataRecord {

    public RemoveUserScramCredential {
        UserNames.check(name, "name");
        Objects.requireNonNull(mechanism, "mechanism");
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.REMOVE_USER_SCRAM_CREDENTIAL;
    }
}
