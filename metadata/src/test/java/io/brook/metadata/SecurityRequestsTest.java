package io.brook.metadata;

import static io.brook.metadata.SecuritySamples.acl;
import static io.brook.metadata.SecuritySamples.allowTopic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;

/** SCRAM credential and ACL requests: the records they produce, what they answer, and Kafka's errors. */
class SecurityRequestsTest {

    final ControllerHarness h = ControllerHarness.started();

    static final byte[] SALT = "salt".getBytes();
    static final byte[] KEY_256 = filled(32, 1);
    static final byte[] KEY_512 = filled(64, 2);

    @Test
    void upsertWritesTheCredentialAndReplacesIt() {
        // proves: an upsert is one UserScramCredential record; the same one again appends nothing; a new one replaces it
        ControllerResult<Void> result = h.state.upsertScramCredential("alice", "SCRAM-SHA-256", SALT, KEY_256,
            KEY_256, 4096);
        assertThat(result.records()).containsExactly(new UserScramCredential("alice", ScramMechanism.SCRAM_SHA_256,
            SALT, KEY_256, KEY_256, 4096));
        h.apply(result);
        assertThat(h.state.upsertScramCredential("alice", "SCRAM-SHA-256", SALT, KEY_256, KEY_256, 4096).records())
            .isEmpty();
        h.apply(h.state.upsertScramCredential("alice", "SCRAM-SHA-256", SALT, KEY_256, KEY_256, 8192));
        h.apply(h.state.upsertScramCredential("alice", "SCRAM-SHA-512", SALT, KEY_512, KEY_512, 16384));
        assertThat(h.image().scram().credential("alice", ScramMechanism.SCRAM_SHA_256).orElseThrow().iterations())
            .isEqualTo(8192);
        assertThat(h.image().scram().credentials("alice")).hasSize(2);
        assertThat(h.replayedOneByOne()).isEqualTo(h.image());
    }

    @Test
    void upsertRefusesBadNamesMechanismsIterationsAndKeysWithKafkasErrors() {
        // proves: name and iteration problems are UNACCEPTABLE_CREDENTIAL, mechanisms UNSUPPORTED_SASL_MECHANISM,
        // malformed keys INVALID_REQUEST; nothing is appended for any of them
        assertThatThrownBy(() -> upsert("", "SCRAM-SHA-256", 4096))
            .isInstanceOf(UnacceptableCredentialException.class).hasMessageContaining("Username must not be empty");
        assertThatThrownBy(() -> upsert(null, "SCRAM-SHA-256", 4096)).isInstanceOf(UnacceptableCredentialException.class);
        for (String bad : List.of("a:b", "a b", "*", "tab\t", "x".repeat(UserNames.MAX_LENGTH + 1))) {
            assertThatThrownBy(() -> upsert(bad, "SCRAM-SHA-256", 4096)).as(bad)
                .isInstanceOf(UnacceptableCredentialException.class);
        }
        assertThat(upsert("x".repeat(UserNames.MAX_LENGTH), "SCRAM-SHA-256", 4096).records()).hasSize(1);
        assertThat(upsert("o'brien,=x", "SCRAM-SHA-256", 4096).records()).hasSize(1);
        for (String bad : Arrays.asList("SCRAM-SHA-1", "PLAIN", "scram-sha-256", "SCRAM_SHA_256", null)) {
            assertThatThrownBy(() -> upsert("alice", bad, 4096)).as(String.valueOf(bad))
                .isInstanceOf(UnsupportedSaslMechanismException.class);
        }
        assertThatThrownBy(() -> upsert("alice", "SCRAM-SHA-256", 4095))
            .isInstanceOf(UnacceptableCredentialException.class).hasMessageContaining("Too few iterations");
        assertThatThrownBy(() -> upsert("alice", "SCRAM-SHA-256", 16385))
            .isInstanceOf(UnacceptableCredentialException.class).hasMessageContaining("Too many iterations");
        assertThat(upsert("alice", "SCRAM-SHA-256", 16384).records()).hasSize(1);
        assertThatThrownBy(() -> h.state.upsertScramCredential("alice", "SCRAM-SHA-256", new byte[0], KEY_256,
            KEY_256, 4096)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("salt");
        assertThatThrownBy(() -> h.state.upsertScramCredential("alice", "SCRAM-SHA-512", SALT, KEY_256,
            KEY_512, 4096)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("storedKey must be 64 bytes");
        assertThatThrownBy(() -> h.state.upsertScramCredential("alice", "SCRAM-SHA-256", SALT, null,
            KEY_256, 4096)).isInstanceOf(InvalidRequestException.class);
        assertThat(h.log).hasSize(1); // only the controller epoch
    }

    @Test
    void deleteRemovesOneMechanismAndRefusesWhatIsNotThere() {
        // proves: delete is one RemoveUserScramCredential; an absent credential is RESOURCE_NOT_FOUND
        h.apply(h.state.upsertScramCredential("alice", "SCRAM-SHA-256", SALT, KEY_256, KEY_256, 4096));
        assertThatThrownBy(() -> h.state.deleteScramCredential("alice", "SCRAM-SHA-512"))
            .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> h.state.deleteScramCredential("bob", "SCRAM-SHA-256"))
            .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> h.state.deleteScramCredential("alice", "MD5"))
            .isInstanceOf(UnsupportedSaslMechanismException.class);
        assertThatThrownBy(() -> h.state.deleteScramCredential("", "SCRAM-SHA-256"))
            .isInstanceOf(UnacceptableCredentialException.class);
        ControllerResult<Void> delete = h.state.deleteScramCredential("alice", "SCRAM-SHA-256");
        assertThat(delete.records()).containsExactly(new RemoveUserScramCredential("alice", ScramMechanism.SCRAM_SHA_256));
        h.apply(delete);
        assertThat(h.image().scram().isEmpty()).isTrue();
    }

    @Test
    void createAclsAnswersEachBindingOnItsOwn() {
        // proves: valid bindings become CreateAcl records; existing and repeated ones succeed without a record;
        // invalid ones are INVALID_REQUEST with Kafka's message and do not stop the others
        Acl existing = allowTopic("orders", "User:alice", AclOperation.READ);
        h.apply(h.state.createAcls(List.of(existing.toBinding())));
        Acl fresh = acl(ResourceType.GROUP, "g-", PatternType.PREFIXED, "User:*", AclOperation.READ,
            AclPermissionType.ALLOW);
        List<AclBinding> bindings = new ArrayList<>(List.of(
            existing.toBinding(),
            fresh.toBinding(),
            binding(ResourceType.CLUSTER, "my-cluster", PatternType.LITERAL, "User:a", AclOperation.ALTER),
            binding(ResourceType.TOPIC, "", PatternType.LITERAL, "User:a", AclOperation.READ),
            binding(ResourceType.TOPIC, "t", PatternType.LITERAL, "alice", AclOperation.READ),
            binding(ResourceType.TRANSACTIONAL_ID, "t", PatternType.LITERAL, "User:a", AclOperation.WRITE),
            binding(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:a", AclOperation.IDEMPOTENT_WRITE),
            fresh.toBinding()));
        bindings.add(null);
        ControllerResult<List<ApiError>> result = h.state.createAcls(bindings);
        assertThat(result.records()).containsExactly(new CreateAcl(fresh));
        List<ApiError> answers = result.response();
        assertThat(answers).hasSize(9);
        assertThat(answers.get(0).isSuccess()).isTrue();
        assertThat(answers.get(1).isSuccess()).isTrue();
        assertThat(answers.get(2).messageWithFallback()).contains("The only valid name for the CLUSTER resource is kafka-cluster");
        assertThat(answers.get(3).messageWithFallback()).contains("Resource name should not be empty");
        assertThat(answers.get(4).messageWithFallback()).contains("principal must be User:");
        assertThat(answers.get(5).messageWithFallback()).contains("Invalid resourceType TRANSACTIONAL_ID");
        assertThat(answers.get(6).messageWithFallback()).contains("Invalid operation IDEMPOTENT_WRITE");
        assertThat(answers.subList(2, 7)).allMatch(e -> e.error() == Errors.INVALID_REQUEST);
        assertThat(answers.get(7).isSuccess()).isTrue();
        assertThat(answers.get(8).error()).isEqualTo(Errors.INVALID_REQUEST);
        h.apply(result);
        assertThat(h.image().acls().acls()).containsExactlyInAnyOrder(existing, fresh);
    }

    @Test
    void deleteAclsRemovesWhatEachFilterMatchesOnce() {
        // proves: DeleteAcls semantics: ANY fields, MATCH patterns, an ACL removed once across filters, bad filters refused alone
        Acl readOrders = allowTopic("orders", "User:alice", AclOperation.READ);
        Acl writeOrders = allowTopic("orders", "User:bob", AclOperation.WRITE);
        Acl prefixed = acl(ResourceType.TOPIC, "ord", PatternType.PREFIXED, "User:bob", AclOperation.WRITE,
            AclPermissionType.DENY);
        Acl group = acl(ResourceType.GROUP, "orders", PatternType.LITERAL, "User:alice", AclOperation.READ,
            AclPermissionType.ALLOW);
        h.apply(h.state.createAcls(List.of(readOrders.toBinding(), writeOrders.toBinding(), prefixed.toBinding(),
            group.toBinding())));
        AclBindingFilter bob = new AclBindingFilter(ResourcePatternFilter.ANY,
            new AccessControlEntryFilter("User:bob", null, AclOperation.ANY, AclPermissionType.ANY));
        AclBindingFilter matchOrders = new AclBindingFilter(
            new ResourcePatternFilter(ResourceType.TOPIC, "orders", PatternType.MATCH), AccessControlEntryFilter.ANY);
        AclBindingFilter unknown = new AclBindingFilter(
            new ResourcePatternFilter(ResourceType.UNKNOWN, "orders", PatternType.LITERAL), AccessControlEntryFilter.ANY);
        AclBindingFilter none = new AclBindingFilter(
            new ResourcePatternFilter(ResourceType.TOPIC, "nothing", PatternType.LITERAL), AccessControlEntryFilter.ANY);
        ControllerResult<List<AclDeletion>> result = h.state.deleteAcls(Arrays.asList(bob, matchOrders, unknown, none, null));
        assertThat(result.response().get(0)).isEqualTo(new AclDeletion(ApiError.NONE, List.of(prefixed, writeOrders)));
        assertThat(result.response().get(1)).isEqualTo(new AclDeletion(ApiError.NONE, List.of(readOrders)));
        assertThat(result.response().get(2).error().error()).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(result.response().get(2).error().message()).isEqualTo("Unknown patternFilter.");
        assertThat(result.response().get(3)).isEqualTo(new AclDeletion(ApiError.NONE, List.of()));
        assertThat(result.response().get(4).error().error()).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(result.records()).containsExactly(new RemoveAcl(prefixed), new RemoveAcl(writeOrders),
            new RemoveAcl(readOrders));
        h.apply(result);
        assertThat(h.image().acls().acls()).containsExactly(group);
        assertThat(h.replayedOneByOneInBatches()).isEqualTo(h.image());
    }

    @Test
    void requestsAreBoundedAndNeedAnActiveController() {
        // proves: a request of more than MAX_PER_REQUEST bindings is refused whole; a missing list too;
        // a controller that is not active refuses security requests like any other
        List<AclBinding> tooMany = Collections.nCopies(AclControl.MAX_PER_REQUEST + 1,
            allowTopic("t", "User:a", AclOperation.READ).toBinding());
        assertThatThrownBy(() -> h.state.createAcls(tooMany)).isInstanceOf(InvalidRequestException.class)
            .hasMessageContaining("At most 1000");
        assertThat(h.state.createAcls(tooMany.subList(0, AclControl.MAX_PER_REQUEST)).records()).hasSize(1);
        assertThatThrownBy(() -> h.state.createAcls(null)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> h.state.deleteAcls(null)).isInstanceOf(InvalidRequestException.class);
        h.failover(1, 7);
        ControllerState stale = new ControllerState(h.image(), h.config, new java.util.Random(1),
            TopicConfigValidator.ACCEPT_ALL);
        assertThatThrownBy(() -> stale.createAcls(List.of())).isInstanceOf(NotControllerException.class);
        assertThatThrownBy(() -> stale.upsertScramCredential("a", "SCRAM-SHA-256", SALT, KEY_256, KEY_256, 4096))
            .isInstanceOf(NotControllerException.class);
    }

    @Test
    void securityStateSurvivesFailover() {
        // proves: users and ACLs live in the log: a new controller sees and changes them
        h.apply(h.state.upsertScramCredential("alice", "SCRAM-SHA-256", SALT, KEY_256, KEY_256, 4096));
        h.apply(h.state.createAcls(List.of(allowTopic("t", "User:alice", AclOperation.WRITE).toBinding())));
        h.failover(1, 99);
        assertThat(h.image().scram().userNames()).containsExactly("alice");
        assertThat(h.state.deleteAcls(List.of(AclBindingFilter.ANY)).records()).hasSize(1);
        assertThat(h.state.deleteScramCredential("alice", "SCRAM-SHA-256").records()).hasSize(1);
    }

    private ControllerResult<Void> upsert(String name, String mechanism, int iterations) {
        byte[] key = "SCRAM-SHA-512".equals(mechanism) ? KEY_512 : KEY_256;
        return h.state.upsertScramCredential(name, mechanism, SALT, key, key, iterations);
    }

    private static AclBinding binding(ResourceType type, String name, PatternType pattern, String principal,
                                      AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
            new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
