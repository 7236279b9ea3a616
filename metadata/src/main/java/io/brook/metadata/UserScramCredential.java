package io.brook.metadata;

import java.util.Arrays;
import java.util.Objects;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * User {@code name}'s SCRAM credential for {@code mechanism} is set (created or replaced): the salt,
 * the iteration count and the two keys derived from the salted password (RFC 5802: StoredKey =
 * H(HMAC(SaltedPassword, "Client Key")), ServerKey = HMAC(SaltedPassword, "Server Key")), exactly
 * what Kafka's KRaft stores ({@code UserScramCredentialRecord}). Never the password: the keys let a
 * server check a password or a SCRAM proof, not recover it.
 *
 * <p>In JSON the mechanism is its SASL name ({@code "SCRAM-SHA-256"}) and the byte arrays are
 * base64. The keys are as long as the mechanism's hash (32 or 64 bytes); the iterations within
 * Kafka's bounds for the mechanism (4096 to 16384). The arrays are copied in and out, so the record
 * is immutable; {@link #toString()} leaves the keys out.
 */
public record UserScramCredential(String name, ScramMechanism mechanism, byte[] salt, byte[] storedKey,
                                  byte[] serverKey, int iterations) implements MetadataRecord {

    /** Longest salt accepted (kafka-clients makes about 26 bytes). */
    public static final int MAX_SALT_BYTES = 1024;

    public UserScramCredential {
        UserNames.check(name, "name");
        Objects.requireNonNull(mechanism, "mechanism");
        salt = RecordChecks.bytes(salt, "salt", 1, MAX_SALT_BYTES);
        int keyBytes = keyBytes(mechanism);
        storedKey = RecordChecks.bytes(storedKey, "storedKey", keyBytes, keyBytes);
        serverKey = RecordChecks.bytes(serverKey, "serverKey", keyBytes, keyBytes);
        if (iterations < mechanism.minIterations() || iterations > mechanism.maxIterations()) {
            throw new IllegalArgumentException("iterations of " + mechanism.mechanismName() + " must be "
                + mechanism.minIterations() + ".." + mechanism.maxIterations() + ", was " + iterations);
        }
    }

    /** The record for {@code name} holding kafka-clients' {@code credential}. */
    public static UserScramCredential of(String name, ScramMechanism mechanism, ScramCredential credential) {
        return new UserScramCredential(name, mechanism, credential.salt(), credential.storedKey(),
            credential.serverKey(), credential.iterations());
    }

    /** Length of the keys of {@code mechanism}: its hash's output (SHA-256: 32 bytes, SHA-512: 64). */
    public static int keyBytes(ScramMechanism mechanism) {
        return switch (mechanism) {
            case SCRAM_SHA_256 -> 32;
            case SCRAM_SHA_512 -> 64;
        };
    }

    /** This credential as kafka-clients' type (for its SCRAM server and {@code ScramFormatter}). */
    public ScramCredential toScramCredential() {
        return new ScramCredential(salt(), storedKey(), serverKey(), iterations);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.USER_SCRAM_CREDENTIAL;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UserScramCredential that && name.equals(that.name) && mechanism == that.mechanism
            && iterations == that.iterations && Arrays.equals(salt, that.salt)
            && Arrays.equals(storedKey, that.storedKey) && Arrays.equals(serverKey, that.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, mechanism, iterations, Arrays.hashCode(salt), Arrays.hashCode(storedKey),
            Arrays.hashCode(serverKey));
    }

    /** Leaves the salt and the keys out: logs and error messages must not carry them. */
    @Override
    public String toString() {
        return "UserScramCredential[name=" + name + ", mechanism=" + mechanism.mechanismName()
            + ", iterations=" + iterations + "]";
    }
}
