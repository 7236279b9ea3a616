package io.brook.metadata;

import java.util.Arrays;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/** Sample credentials and ACLs for the metadata tests (keys are fixed bytes, not derived from a password). */
final class SecuritySamples {

    private SecuritySamples() {
    }

    static UserScramCredential credential(String name, ScramMechanism mechanism) {
        return credential(name, mechanism, (byte) 1);
    }

    /** A credential whose keys are filled with {@code fill} (to tell two versions apart). */
    static UserScramCredential credential(String name, ScramMechanism mechanism, byte fill) {
        byte[] key = new byte[UserScramCredential.keyBytes(mechanism)];
        Arrays.fill(key, fill);
        return new UserScramCredential(name, mechanism, "salt".getBytes(), key, key, mechanism.minIterations());
    }

    static Acl acl(ResourceType type, String name, PatternType pattern, String principal, AclOperation operation,
                   AclPermissionType permission) {
        return new Acl(type, name, pattern, principal, "*", operation, permission);
    }

    static Acl allowTopic(String topic, String principal, AclOperation operation) {
        return acl(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, operation, AclPermissionType.ALLOW);
    }
}
