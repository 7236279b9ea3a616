package io.brook.metadata;

import static io.brook.metadata.SecuritySamples.acl;
import static io.brook.metadata.SecuritySamples.allowTopic;
import static io.brook.metadata.SecuritySamples.credential;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;

/** SCRAM credentials and ACLs replay into the image as their records say; bad ones are refused whole. */
class SecurityImageTest {

    static final Acl READ_ORDERS = allowTopic("orders", "User:alice", AclOperation.READ);
    static final Acl WRITE_PREFIX = acl(ResourceType.TOPIC, "ord", PatternType.PREFIXED, "User:bob",
        AclOperation.WRITE, AclPermissionType.ALLOW);
    static final Acl DENY_ALL_TOPICS = acl(ResourceType.TOPIC, "*", PatternType.LITERAL, "User:*",
        AclOperation.ALL, AclPermissionType.DENY);

    @Test
    void credentialsAreUpsertedPerMechanismAndRemoved() {
        // proves: a credential is set per (user, mechanism), replaced by a newer one, and a user vanishes with its last one
        MetadataImage image = MetadataImage.EMPTY.toBuilder()
            .apply(credential("alice", ScramMechanism.SCRAM_SHA_256), 0)
            .apply(credential("alice", ScramMechanism.SCRAM_SHA_512), 1)
            .apply(credential("bob", ScramMechanism.SCRAM_SHA_256), 2)
            .apply(credential("alice", ScramMechanism.SCRAM_SHA_256, (byte) 7), 3)
            .build();
        assertThat(image.scram().userNames()).containsExactly("alice", "bob");
        assertThat(image.scram().credential("alice", ScramMechanism.SCRAM_SHA_256))
            .contains(credential("alice", ScramMechanism.SCRAM_SHA_256, (byte) 7));
        assertThat(image.scram().credentials("alice")).containsOnlyKeys(ScramMechanism.values());
        assertThat(image.scram().credentialCount()).isEqualTo(3);

        MetadataImage removed = image.toBuilder()
            .apply(new RemoveUserScramCredential("alice", ScramMechanism.SCRAM_SHA_256), 4)
            .apply(new RemoveUserScramCredential("bob", ScramMechanism.SCRAM_SHA_256), 5)
            .build();
        assertThat(removed.scram().userNames()).containsExactly("alice");
        assertThat(removed.scram().credential("alice", ScramMechanism.SCRAM_SHA_256)).isEmpty();
        assertThat(removed.scram().contains("bob")).isFalse();
        assertThat(image.scram().contains("bob")).as("the older image is unchanged").isTrue();
    }

    @Test
    void aclsAreCreatedAndRemovedByContent() {
        // proves: CreateAcl adds, RemoveAcl removes the equal ACL; listing is in a stable order
        MetadataImage image = MetadataImage.EMPTY.toBuilder()
            .apply(new CreateAcl(WRITE_PREFIX), 0)
            .apply(new CreateAcl(READ_ORDERS), 1)
            .apply(new CreateAcl(DENY_ALL_TOPICS), 2)
            .build();
        assertThat(image.acls().acls()).containsExactly(DENY_ALL_TOPICS, WRITE_PREFIX, READ_ORDERS);
        MetadataImage after = image.apply(new RemoveAcl(allowTopic("orders", "User:alice", AclOperation.READ)), 3);
        assertThat(after.acls().acls()).containsExactly(DENY_ALL_TOPICS, WRITE_PREFIX);
    }

    @Test
    void replayRefusesDuplicatesAndUnknownsAndLeavesTheBuilderAsItWas() {
        // proves: a duplicate ACL, an unknown ACL or credential removal is a replay error that changes nothing
        MetadataImage image = MetadataImage.EMPTY.toBuilder()
            .apply(new CreateAcl(READ_ORDERS), 0)
            .apply(credential("alice", ScramMechanism.SCRAM_SHA_256), 1)
            .build();
        MetadataImageBuilder builder = image.toBuilder();
        List<MetadataRecord> refused = List.of(new CreateAcl(READ_ORDERS), new RemoveAcl(WRITE_PREFIX),
            new RemoveUserScramCredential("alice", ScramMechanism.SCRAM_SHA_512),
            new RemoveUserScramCredential("nobody", ScramMechanism.SCRAM_SHA_256));
        long offset = image.lastOffset();
        for (MetadataRecord record : refused) {
            long at = ++offset;
            assertThatThrownBy(() -> builder.apply(record, at)).as(record.toString())
                .isInstanceOf(MetadataReplayException.class);
            builder.skip(at);
        }
        MetadataImage after = builder.build();
        assertThat(after.acls()).isSameAs(image.acls());
        assertThat(after.scram()).isSameAs(image.scram());
        assertThatThrownBy(() -> image.apply(new CreateAcl(READ_ORDERS), 2))
            .hasMessageContaining("ACL already exists");
        assertThatThrownBy(() -> image.apply(new RemoveUserScramCredential("alice", ScramMechanism.SCRAM_SHA_512), 2))
            .hasMessageContaining("user alice has no SCRAM-SHA-512 credential");
    }

    @Test
    void untouchedSecurityStateIsSharedBetweenImages() {
        // proves: a record that touches no ACL keeps the same AclImage instance (holders detect changes by identity)
        MetadataImage image = MetadataImage.EMPTY.apply(new CreateAcl(READ_ORDERS), 0)
            .apply(credential("alice", ScramMechanism.SCRAM_SHA_256), 1);
        MetadataImage next = image.apply(new ControllerEpoch(1, 1), 2);
        assertThat(next.acls()).isSameAs(image.acls());
        assertThat(next.scram()).isSameAs(image.scram());
        assertThat(next.apply(new CreateAcl(WRITE_PREFIX), 3).acls()).isNotSameAs(image.acls());
    }

    @Test
    void theIndexFindsLiteralWildcardAndPrefixedPatterns() {
        // proves: matchingResource returns exactly the ACLs whose pattern matches the name, of that resource type
        Acl literalOther = allowTopic("orders2", "User:alice", AclOperation.READ);
        Acl prefixLonger = acl(ResourceType.TOPIC, "orders-x", PatternType.PREFIXED, "User:a", AclOperation.READ,
            AclPermissionType.ALLOW);
        Acl prefixWhole = acl(ResourceType.TOPIC, "orders", PatternType.PREFIXED, "User:a", AclOperation.READ,
            AclPermissionType.ALLOW);
        Acl groupOrders = acl(ResourceType.GROUP, "orders", PatternType.LITERAL, "User:a", AclOperation.READ,
            AclPermissionType.ALLOW);
        MetadataImage image = MetadataImage.EMPTY;
        long offset = 0;
        for (Acl acl : List.of(READ_ORDERS, WRITE_PREFIX, DENY_ALL_TOPICS, literalOther, prefixLonger, prefixWhole,
                groupOrders)) {
            image = image.apply(new CreateAcl(acl), offset++);
        }
        assertThat(image.acls().matchingResource(ResourceType.TOPIC, "orders"))
            .containsExactlyInAnyOrder(READ_ORDERS, DENY_ALL_TOPICS, WRITE_PREFIX, prefixWhole);
        assertThat(image.acls().matchingResource(ResourceType.TOPIC, "ord"))
            .containsExactlyInAnyOrder(DENY_ALL_TOPICS, WRITE_PREFIX);
        assertThat(image.acls().matchingResource(ResourceType.TOPIC, "or")).containsExactly(DENY_ALL_TOPICS);
        assertThat(image.acls().matchingResource(ResourceType.GROUP, "orders")).containsExactly(groupOrders);
        assertThat(image.acls().matchingResource(ResourceType.CLUSTER, "kafka-cluster")).isEmpty();
        assertThat(image.acls().forEachMatching(ResourceType.TOPIC, "orders", acl -> false)).isFalse();
    }

    @Test
    void kafkaFiltersSelectAclsAsDeleteAclsDoes() {
        // proves: matching(filter) follows kafka-clients' AclBindingFilter: ANY fields, MATCH patterns
        MetadataImage image = MetadataImage.EMPTY.apply(new CreateAcl(READ_ORDERS), 0)
            .apply(new CreateAcl(WRITE_PREFIX), 1).apply(new CreateAcl(DENY_ALL_TOPICS), 2);
        AclBindingFilter bob = new AclBindingFilter(ResourcePatternFilter.ANY,
            new AccessControlEntryFilter("User:bob", null, AclOperation.ANY, AclPermissionType.ANY));
        assertThat(image.acls().matching(bob)).containsExactly(WRITE_PREFIX);
        AclBindingFilter matchOrders = new AclBindingFilter(
            new ResourcePatternFilter(ResourceType.TOPIC, "orders", PatternType.MATCH), AccessControlEntryFilter.ANY);
        assertThat(image.acls().matching(matchOrders)).containsExactly(DENY_ALL_TOPICS, WRITE_PREFIX, READ_ORDERS);
        assertThat(image.acls().matching(AclBindingFilter.ANY)).hasSize(3);
    }

    @Test
    void aclsRefuseWhatBrookCannotCheck() {
        // proves: the Acl value refuses filter values, unsupported types, bad principals, hosts and cluster names
        assertThatThrownBy(() -> acl(ResourceType.ANY, "t", PatternType.LITERAL, "User:a", AclOperation.READ,
            AclPermissionType.ALLOW)).hasMessageContaining("Invalid resourceType ANY");
        assertThatThrownBy(() -> acl(ResourceType.TOPIC, "t", PatternType.MATCH, "User:a", AclOperation.READ,
            AclPermissionType.ALLOW)).hasMessageContaining("Invalid patternType MATCH");
        assertThatThrownBy(() -> acl(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:a", AclOperation.ANY,
            AclPermissionType.ALLOW)).hasMessageContaining("Invalid operation ANY");
        assertThatThrownBy(() -> acl(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:a", AclOperation.READ,
            AclPermissionType.UNKNOWN)).hasMessageContaining("Invalid permissionType");
        assertThatThrownBy(() -> acl(ResourceType.TOPIC, "t", PatternType.LITERAL, "alice", AclOperation.READ,
            AclPermissionType.ALLOW)).hasMessageContaining("principal must be User:<name>");
        assertThatThrownBy(() -> acl(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:", AclOperation.READ,
            AclPermissionType.ALLOW)).hasMessageContaining("principal name");
        assertThatThrownBy(() -> acl(ResourceType.CLUSTER, "c", PatternType.LITERAL, "User:a", AclOperation.ALTER,
            AclPermissionType.ALLOW)).hasMessageContaining("kafka-cluster");
        assertThatThrownBy(() -> acl(ResourceType.TOPIC, "*", PatternType.PREFIXED, "User:a", AclOperation.READ,
            AclPermissionType.ALLOW)).hasMessageContaining("use LITERAL '*'");
        assertThatThrownBy(() -> new Acl(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:a", "",
            AclOperation.READ, AclPermissionType.ALLOW)).hasMessageContaining("host");
        assertThat(Acl.of(READ_ORDERS.toBinding())).isEqualTo(READ_ORDERS);
    }
}
