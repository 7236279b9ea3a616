package io.brook.security;

import static org.apache.kafka.common.acl.AclOperation.ALL;
import static org.apache.kafka.common.acl.AclOperation.ALTER;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.acl.AclPermissionType.ALLOW;
import static org.apache.kafka.common.acl.AclPermissionType.DENY;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.CLUSTER;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.metadata.Acl;
import io.brook.metadata.CreateAcl;
import io.brook.metadata.MetadataImage;
import io.brook.security.AuthorizationDecision.Reason;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Kafka's authorization semantics, one row per rule: DENY wins, patterns, wildcards, implied operations, super users, no ACL found. */
class AuthorizerTest {

    static final String ALICE = "User:alice";
    static final String BOB = "User:bob";
    static final String ADMIN = "User:admin";

    /** One case: the ACLs, the config, a request and what must be decided. */
    record Case(String name, List<Acl> acls, Map<String, ?> config, String principal, String host,
                AclOperation operation, ResourceType type, String resource, boolean allowed, Reason reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        Map<String, ?> none = Map.of();
        Map<String, ?> open = Map.of(AuthorizerConfig.ALLOW_EVERYONE_IF_NO_ACL_FOUND, true);
        Map<String, ?> supers = Map.of(AuthorizerConfig.SUPER_USERS, "User:admin; User:CN=ops,O=Brook");
        Acl allowAliceReadT = acl(TOPIC, "t", LITERAL, ALICE, READ, ALLOW);
        return Stream.of(
            // literal matching
            new Case("literal allow", List.of(allowAliceReadT), none, ALICE, "h", READ, TOPIC, "t", true, Reason.ALLOW_ACL),
            new Case("literal is exact, not a prefix", List.of(allowAliceReadT), none, ALICE, "h", READ, TOPIC, "t2",
                false, Reason.NO_ACL_FOUND),
            new Case("other principal", List.of(allowAliceReadT), none, BOB, "h", READ, TOPIC, "t", false,
                Reason.NO_MATCHING_ALLOW),
            new Case("other operation", List.of(allowAliceReadT), none, ALICE, "h", WRITE, TOPIC, "t", false,
                Reason.NO_MATCHING_ALLOW),
            new Case("other resource type", List.of(allowAliceReadT), none, ALICE, "h", READ, GROUP, "t", false,
                Reason.NO_ACL_FOUND),
            // DENY wins
            new Case("deny beats allow", List.of(allowAliceReadT, acl(TOPIC, "t", LITERAL, ALICE, READ, DENY)), none,
                ALICE, "h", READ, TOPIC, "t", false, Reason.DENY_ACL),
            new Case("wildcard deny beats literal allow", List.of(allowAliceReadT,
                acl(TOPIC, "*", LITERAL, "User:*", ALL, DENY)), none, ALICE, "h", READ, TOPIC, "t", false, Reason.DENY_ACL),
            new Case("prefixed deny beats literal allow", List.of(allowAliceReadT,
                acl(TOPIC, "t", PREFIXED, ALICE, READ, DENY)), none, ALICE, "h", READ, TOPIC, "t", false, Reason.DENY_ACL),
            new Case("deny of another operation does not deny", List.of(allowAliceReadT,
                acl(TOPIC, "t", LITERAL, ALICE, WRITE, DENY)), none, ALICE, "h", READ, TOPIC, "t", true, Reason.ALLOW_ACL),
            new Case("deny for another host does not deny", List.of(allowAliceReadT,
                aclOnHost(TOPIC, "t", ALICE, "10.0.0.9", READ, DENY)), none, ALICE, "10.0.0.1", READ, TOPIC, "t", true,
                Reason.ALLOW_ACL),
            new Case("deny for the host denies", List.of(allowAliceReadT,
                aclOnHost(TOPIC, "t", ALICE, "10.0.0.9", READ, DENY)), none, ALICE, "10.0.0.9", READ, TOPIC, "t", false,
                Reason.DENY_ACL),
            // prefixed
            new Case("prefixed allow", List.of(acl(TOPIC, "orders-", PREFIXED, ALICE, WRITE, ALLOW)), none, ALICE, "h",
                WRITE, TOPIC, "orders-eu", true, Reason.ALLOW_ACL),
            new Case("prefixed equal to the name", List.of(acl(TOPIC, "orders-", PREFIXED, ALICE, WRITE, ALLOW)), none,
                ALICE, "h", WRITE, TOPIC, "orders-", true, Reason.ALLOW_ACL),
            new Case("prefixed longer than the name", List.of(acl(TOPIC, "orders-", PREFIXED, ALICE, WRITE, ALLOW)),
                none, ALICE, "h", WRITE, TOPIC, "orders", false, Reason.NO_ACL_FOUND),
            new Case("prefix is case-sensitive", List.of(acl(TOPIC, "Orders", PREFIXED, ALICE, WRITE, ALLOW)), none,
                ALICE, "h", WRITE, TOPIC, "orders-eu", false, Reason.NO_ACL_FOUND),
            // wildcards
            new Case("wildcard resource", List.of(acl(GROUP, "*", LITERAL, ALICE, READ, ALLOW)), none, ALICE, "h", READ,
                GROUP, "any-group", true, Reason.ALLOW_ACL),
            new Case("wildcard principal", List.of(acl(TOPIC, "t", LITERAL, "User:*", READ, ALLOW)), none, BOB, "h", READ,
                TOPIC, "t", true, Reason.ALLOW_ACL),
            new Case("wildcard principal covers ANONYMOUS", List.of(acl(TOPIC, "t", LITERAL, "User:*", READ, ALLOW)),
                none, "User:ANONYMOUS", "h", READ, TOPIC, "t", true, Reason.ALLOW_ACL),
            new Case("unknown host matches only *", List.of(aclOnHost(TOPIC, "t", ALICE, "10.0.0.9", READ, ALLOW)), none,
                ALICE, null, READ, TOPIC, "t", false, Reason.NO_MATCHING_ALLOW),
            new Case("exact host", List.of(aclOnHost(TOPIC, "t", ALICE, "10.0.0.9", READ, ALLOW)), none, ALICE,
                "10.0.0.9", READ, TOPIC, "t", true, Reason.ALLOW_ACL),
            // implied operations
            new Case("READ implies DESCRIBE", List.of(allowAliceReadT), none, ALICE, "h", DESCRIBE, TOPIC, "t", true,
                Reason.ALLOW_ACL),
            new Case("WRITE implies DESCRIBE", List.of(acl(TOPIC, "t", LITERAL, ALICE, WRITE, ALLOW)), none, ALICE, "h",
                DESCRIBE, TOPIC, "t", true, Reason.ALLOW_ACL),
            new Case("DELETE implies DESCRIBE", List.of(acl(TOPIC, "t", LITERAL, ALICE, DELETE, ALLOW)), none, ALICE, "h",
                DESCRIBE, TOPIC, "t", true, Reason.ALLOW_ACL),
            new Case("ALTER implies DESCRIBE", List.of(acl(TOPIC, "t", LITERAL, ALICE, ALTER, ALLOW)), none, ALICE, "h",
                DESCRIBE, TOPIC, "t", true, Reason.ALLOW_ACL),
            new Case("CREATE does not imply DESCRIBE", List.of(acl(TOPIC, "t", LITERAL, ALICE, CREATE, ALLOW)), none,
                ALICE, "h", DESCRIBE, TOPIC, "t", false, Reason.NO_MATCHING_ALLOW),
            new Case("ALTER_CONFIGS implies DESCRIBE_CONFIGS", List.of(acl(TOPIC, "t", LITERAL, ALICE, ALTER_CONFIGS,
                ALLOW)), none, ALICE, "h", DESCRIBE_CONFIGS, TOPIC, "t", true, Reason.ALLOW_ACL),
            new Case("DESCRIBE_CONFIGS does not imply ALTER_CONFIGS", List.of(acl(TOPIC, "t", LITERAL, ALICE,
                DESCRIBE_CONFIGS, ALLOW)), none, ALICE, "h", ALTER_CONFIGS, TOPIC, "t", false, Reason.NO_MATCHING_ALLOW),
            new Case("READ does not imply DESCRIBE_CONFIGS", List.of(allowAliceReadT), none, ALICE, "h",
                DESCRIBE_CONFIGS, TOPIC, "t", false, Reason.NO_MATCHING_ALLOW),
            new Case("DESCRIBE implies nothing else", List.of(acl(TOPIC, "t", LITERAL, ALICE, DESCRIBE, ALLOW)), none,
                ALICE, "h", READ, TOPIC, "t", false, Reason.NO_MATCHING_ALLOW),
            new Case("a DENY implies nothing: DENY READ leaves DESCRIBE", List.of(allowAliceReadT,
                acl(TOPIC, "t", LITERAL, ALICE, WRITE, ALLOW), acl(TOPIC, "t", LITERAL, ALICE, READ, DENY)), none,
                ALICE, "h", DESCRIBE, TOPIC, "t", true, Reason.ALLOW_ACL),
            new Case("DENY DESCRIBE beats implied DESCRIBE", List.of(allowAliceReadT,
                acl(TOPIC, "t", LITERAL, ALICE, DESCRIBE, DENY)), none, ALICE, "h", DESCRIBE, TOPIC, "t", false,
                Reason.DENY_ACL),
            new Case("ALLOW ALL allows every operation", List.of(acl(CLUSTER, "kafka-cluster", LITERAL, ALICE, ALL,
                ALLOW)), none, ALICE, "h", ALTER_CONFIGS, CLUSTER, "kafka-cluster", true, Reason.ALLOW_ACL),
            new Case("DENY ALL denies every operation", List.of(acl(TOPIC, "t", LITERAL, ALICE, ALL, ALLOW),
                acl(TOPIC, "t", LITERAL, ALICE, ALL, DENY)), none, ALICE, "h", DESCRIBE, TOPIC, "t", false, Reason.DENY_ACL),
            // super users
            new Case("super user without ACLs", List.of(), supers, ADMIN, "h", DELETE, TOPIC, "t", true, Reason.SUPER_USER),
            new Case("super user beats DENY", List.of(acl(TOPIC, "*", LITERAL, "User:*", ALL, DENY)), supers, ADMIN, "h",
                WRITE, TOPIC, "t", true, Reason.SUPER_USER),
            new Case("super user with a comma in its name", List.of(), supers, "User:CN=ops,O=Brook", "h", CREATE,
                CLUSTER, "kafka-cluster", true, Reason.SUPER_USER),
            new Case("others are not super", List.of(), supers, BOB, "h", READ, TOPIC, "t", false, Reason.NO_ACL_FOUND),
            // no ACL found, both ways
            new Case("no ACL found: denied by default", List.of(), none, ALICE, "h", READ, TOPIC, "t", false,
                Reason.NO_ACL_FOUND),
            new Case("no ACL found: allowed when configured", List.of(), open, ALICE, "h", READ, TOPIC, "t", true,
                Reason.NO_ACL_FOUND),
            new Case("ACLs for others on the resource: not 'no ACL found'", List.of(acl(TOPIC, "t", LITERAL, BOB, READ,
                ALLOW)), open, ALICE, "h", READ, TOPIC, "t", false, Reason.NO_MATCHING_ALLOW),
            new Case("ACLs on other resources only: still 'no ACL found'", List.of(acl(TOPIC, "u", LITERAL, BOB, READ,
                ALLOW)), open, ALICE, "h", READ, TOPIC, "t", true, Reason.NO_ACL_FOUND),
            new Case("a DENY for another principal still counts as an ACL", List.of(acl(TOPIC, "t", PREFIXED, BOB, READ,
                DENY)), open, ALICE, "h", READ, TOPIC, "t", false, Reason.NO_MATCHING_ALLOW));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void decides(Case c) {
        // proves: each rule of Kafka's authorizer, named by the case
        Authorizer authorizer = Authorizer.of(new AuthorizerConfig(c.config()), imageWith(c.acls()));
        AuthorizationDecision decision = authorizer.decide(c.principal(), c.host(), c.operation(), c.type(), c.resource());
        assertThat(decision.allowed()).as("allowed").isEqualTo(c.allowed());
        assertThat(decision.reason()).as("reason").isEqualTo(c.reason());
        assertThat(authorizer.authorize(c.principal(), c.host(), c.operation(), c.type(), c.resource()))
            .isEqualTo(c.allowed());
    }

    @Test
    void theDecidingAclIsReported() {
        // proves: a decision by ACL names the ACL, so a refusal can say which rule refused
        Acl deny = acl(TOPIC, "t", PREFIXED, ALICE, WRITE, DENY);
        Authorizer authorizer = Authorizer.of(AuthorizerConfig.defaults(),
            imageWith(List.of(deny, acl(TOPIC, "t", LITERAL, ALICE, WRITE, ALLOW))));
        assertThat(authorizer.decide(ALICE, "h", WRITE, TOPIC, "t").acl()).contains(deny);
    }

    @Test
    void kafkaPrincipalsAreAccepted() {
        // proves: the KafkaPrincipal overload is the same as its User:name string
        Authorizer authorizer = Authorizer.of(AuthorizerConfig.defaults(),
            imageWith(List.of(acl(TOPIC, "t", LITERAL, ALICE, READ, ALLOW))));
        assertThat(authorizer.authorize(new KafkaPrincipal("User", "alice"), "h", READ, TOPIC, "t")).isTrue();
        assertThat(authorizer.authorize(new KafkaPrincipal("User", "bob"), "h", READ, TOPIC, "t")).isFalse();
    }

    @Test
    void requestsNameARealOperationAndResourceType() {
        // proves: ALL, ANY, UNKNOWN and unchecked types are programming errors, not silent denials
        Authorizer authorizer = Authorizer.of(AuthorizerConfig.defaults(), MetadataImage.EMPTY);
        for (AclOperation operation : List.of(AclOperation.ALL, AclOperation.ANY, AclOperation.UNKNOWN,
                AclOperation.IDEMPOTENT_WRITE)) {
            assertThatThrownBy(() -> authorizer.authorize(ALICE, "h", operation, TOPIC, "t")).as(operation.name())
                .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> authorizer.authorize(ALICE, "h", READ, ResourceType.TRANSACTIONAL_ID, "t"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnchangedAclImageKeepsTheAuthorizer() {
        // proves: withAcls returns the same authorizer when the image's ACLs are the same instance
        MetadataImage image = imageWith(List.of(acl(TOPIC, "t", LITERAL, ALICE, READ, ALLOW)));
        Authorizer authorizer = Authorizer.of(AuthorizerConfig.defaults(), image);
        MetadataImage unrelated = image.apply(new io.brook.metadata.ControllerEpoch(1, 1), image.lastOffset() + 1);
        assertThat(authorizer.withAcls(unrelated.acls())).isSameAs(authorizer);
        MetadataImage changed = unrelated.apply(new CreateAcl(acl(TOPIC, "t", LITERAL, BOB, READ, ALLOW)),
            unrelated.lastOffset() + 1);
        Authorizer next = authorizer.withAcls(changed.acls());
        assertThat(next).isNotSameAs(authorizer);
        assertThat(next.authorize(BOB, "h", READ, TOPIC, "t")).isTrue();
        assertThat(authorizer.authorize(BOB, "h", READ, TOPIC, "t")).isFalse();
    }

    @Test
    void superUsersAreValidated() {
        // proves: super.users takes ';'-separated User: principals and refuses User:* and other shapes
        assertThat(new AuthorizerConfig(Map.of(AuthorizerConfig.SUPER_USERS, " User:a ;;User:b")).superUsers())
            .containsExactlyInAnyOrder("User:a", "User:b");
        assertThat(AuthorizerConfig.defaults().superUsers()).isEmpty();
        assertThat(AuthorizerConfig.defaults().allowEveryoneIfNoAclFound()).isFalse();
        assertThatThrownBy(() -> new AuthorizerConfig(Map.of(AuthorizerConfig.SUPER_USERS, "User:*")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("switch authorization off");
        assertThatThrownBy(() -> new AuthorizerConfig(Map.of(AuthorizerConfig.SUPER_USERS, "admin")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("User:<name>");
    }

    static Acl acl(ResourceType type, String name, PatternType pattern, String principal, AclOperation operation,
                   AclPermissionType permission) {
        return new Acl(type, name, pattern, principal, "*", operation, permission);
    }

    static Acl aclOnHost(ResourceType type, String name, String principal, String host, AclOperation operation,
                         AclPermissionType permission) {
        return new Acl(type, name, LITERAL, principal, host, operation, permission);
    }

    static MetadataImage imageWith(List<Acl> acls) {
        MetadataImage image = MetadataImage.EMPTY;
        for (Acl acl : acls) {
            image = image.apply(new CreateAcl(acl), image.lastOffset() + 1);
        }
        return image;
    }
}
