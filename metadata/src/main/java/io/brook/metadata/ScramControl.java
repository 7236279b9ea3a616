package io.brook.metadata;

import java.util.List;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * SCRAM credential requests: upsert and delete, with Kafka's rules and errors (KRaft's
 * {@code ScramControlManager}): a bad user name or an iteration count outside the mechanism's
 * bounds (4096..16384) is {@link UnacceptableCredentialException}; a mechanism other than
 * SCRAM-SHA-256/512 is {@link UnsupportedSaslMechanismException}; deleting a credential that does
 * not exist is {@link ResourceNotFoundException}. The caller derives the keys from the password
 * (kafka-clients' {@code ScramFormatter}; Brook's {@code io.brook.security.ScramCredentials}): the
 * controller never sees a password. Stateless; controller thread only.
 */
final class ScramControl {

    /**
     * Most credentials the cluster holds (users times mechanisms): every broker keeps them all in
     * memory. A named bound, not yet a config key.
     */
    static final int MAX_CREDENTIALS = 100_000;

    ControllerResult<Void> upsert(MetadataImage image, String name, String mechanismName, byte[] salt,
                                  byte[] storedKey, byte[] serverKey, int iterations) {
        ScramMechanism mechanism = requireNameAndMechanism(name, mechanismName);
        if (iterations < mechanism.minIterations()) {
            throw new UnacceptableCredentialException("Too few iterations: " + iterations + " < "
                + mechanism.minIterations() + " for " + mechanism.mechanismName());
        }
        if (iterations > mechanism.maxIterations()) {
            throw new UnacceptableCredentialException("Too many iterations: " + iterations + " > "
                + mechanism.maxIterations() + " for " + mechanism.mechanismName());
        }
        UserScramCredential credential;
        try {
            credential = new UserScramCredential(name, mechanism, salt, storedKey, serverKey, iterations);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidRequestException("Malformed SCRAM credential for user " + name + ": " + e.getMessage());
        }
        var existing = image.scram().credential(name, mechanism);
        if (existing.isEmpty() && image.scram().credentialCount() >= MAX_CREDENTIALS) {
            throw new PolicyViolationException("The cluster already holds " + MAX_CREDENTIALS
                + " SCRAM credentials, the most it may hold");
        }
        if (existing.isPresent() && existing.get().equals(credential)) {
            return ControllerResult.empty(null);
        }
        return ControllerResult.of(List.of(credential), null);
    }

    ControllerResult<Void> delete(MetadataImage image, String name, String mechanismName) {
        ScramMechanism mechanism = requireNameAndMechanism(name, mechanismName);
        if (image.scram().credential(name, mechanism).isEmpty()) {
            throw new ResourceNotFoundException("Attempt to delete a user credential that does not exist: "
                + mechanism.mechanismName() + " credential of user " + name);
        }
        return ControllerResult.of(List.of(new RemoveUserScramCredential(name, mechanism)), null);
    }

    private static ScramMechanism requireNameAndMechanism(String name, String mechanismName) {
        String problem = UserNames.problem(name);
        if (problem != null) {
            throw new UnacceptableCredentialException(problem);
        }
        ScramMechanism mechanism = mechanismName == null ? null : ScramMechanism.forMechanismName(mechanismName);
        if (mechanism == null) {
            throw new UnsupportedSaslMechanismException("Unknown SCRAM mechanism " + mechanismName
                + ": must be one of " + ScramMechanism.mechanismNames());
        }
        return mechanism;
    }
}
