package io.brook.security;

import io.brook.metadata.ScramImage;
import io.brook.metadata.UserNames;
import io.brook.metadata.UserScramCredential;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * SCRAM credentials from passwords, and passwords checked against stored credentials, with
 * kafka-clients' {@link ScramFormatter} (RFC 5802: SaltedPassword = PBKDF2-HMAC(password, salt,
 * iterations), StoredKey = H(HMAC(SaltedPassword, "Client Key")), ServerKey = HMAC(SaltedPassword,
 * "Server Key")); no hashing of Brook's own. The credentials are the ones Kafka's SCRAM clients log
 * in with, so the same users serve the Kafka listener later.
 *
 * <p>A check recomputes StoredKey from the offered password (thousands of HMACs: about a millisecond
 * per 4096 iterations here) and compares it with {@link MessageDigest#isEqual}, which takes the same
 * time wherever the bytes differ. {@link #authenticate} does comparable work for an unknown user
 * (against a decoy at the default iterations), so timing does not tell which users exist. Cost matters: run checks off the event loop, or cache a
 * successful check briefly.
 *
 * <p>Stateless and thread-safe (a {@link ScramFormatter} is made per call: it holds a {@code Mac}).
 */
public final class ScramCredentials {

    /** Iterations of a new credential unless asked otherwise: Kafka's minimum and its tools' default. */
    public static final int DEFAULT_ITERATIONS = 4096;
    /** Longest password accepted (PBKDF2 hashes it once per iteration; bound the work). */
    public static final int MAX_PASSWORD_CHARS = 1024;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<ScramMechanism, UserScramCredential> DECOYS = decoys();

    private ScramCredentials() {
    }

    /** A credential for {@code user} from {@code password}, with a fresh random salt and {@link #DEFAULT_ITERATIONS}. */
    public static UserScramCredential create(String user, ScramMechanism mechanism, String password) {
        return create(user, mechanism, password, DEFAULT_ITERATIONS, RANDOM);
    }

    /**
     * A credential for {@code user} from {@code password}, salted with kafka-clients' random salt drawn
     * from {@code random}.
     *
     * @throws UnacceptableCredentialException for a bad user name, an empty or too long password, or
     *     iterations outside the mechanism's bounds (4096..16384)
     */
    public static UserScramCredential create(String user, ScramMechanism mechanism, String password, int iterations,
                                             SecureRandom random) {
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(random, "random");
        String nameProblem = UserNames.problem(user);
        if (nameProblem != null) {
            throw new UnacceptableCredentialException(nameProblem);
        }
        if (password == null || password.isEmpty() || password.length() > MAX_PASSWORD_CHARS) {
            throw new UnacceptableCredentialException("Password must be 1 to " + MAX_PASSWORD_CHARS + " characters");
        }
        if (iterations < mechanism.minIterations() || iterations > mechanism.maxIterations()) {
            throw new UnacceptableCredentialException("Iterations of " + mechanism.mechanismName() + " must be "
                + mechanism.minIterations() + ".." + mechanism.maxIterations() + ", was " + iterations);
        }
        ScramFormatter formatter = formatter(mechanism);
        byte[] salt = ScramFormatter.secureRandomBytes(random);
        try {
            byte[] saltedPassword = formatter.saltedPassword(password, salt, iterations);
            ScramCredential credential = formatter.generateCredential(salt, saltedPassword, iterations);
            return UserScramCredential.of(user, mechanism, credential);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HMAC refused a SCRAM key", e); // never: HMAC takes any key
        }
    }

    /**
     * True if {@code password} is the one {@code stored} was made from. Constant-time comparison. A
     * null, empty (HMAC takes no empty key; {@link #create} refuses it) or overlong password is false.
     */
    public static boolean verify(UserScramCredential stored, String password) {
        Objects.requireNonNull(stored, "stored");
        if (password == null || password.isEmpty() || password.length() > MAX_PASSWORD_CHARS) {
            return false;
        }
        ScramFormatter formatter = formatter(stored.mechanism());
        try {
            byte[] saltedPassword = formatter.saltedPassword(password, stored.salt(), stored.iterations());
            byte[] storedKey = formatter.storedKey(formatter.clientKey(saltedPassword));
            return MessageDigest.isEqual(storedKey, stored.storedKey());
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HMAC refused a SCRAM key", e);
        }
    }

    /**
     * Checks {@code user}'s {@code password} against the credentials in {@code scram} (for HTTP Basic
     * and bridge credentials): true if it matches the user's strongest credential (SCRAM-SHA-512,
     * else SCRAM-SHA-256). An unknown user costs comparable work against a decoy and is false.
     */
    public static boolean authenticate(ScramImage scram, String user, String password) {
        Objects.requireNonNull(scram, "scram");
        Optional<UserScramCredential> credential = strongest(scram, user);
        if (credential.isEmpty()) {
            verify(DECOYS.get(ScramMechanism.SCRAM_SHA_512), password); // same work, result ignored
            return false;
        }
        return verify(credential.get(), password);
    }

    /** The credential {@link #authenticate} checks a password against: SCRAM-SHA-512, else SCRAM-SHA-256. */
    public static Optional<UserScramCredential> strongest(ScramImage scram, String user) {
        return user == null ? Optional.empty() : scram.credential(user, ScramMechanism.SCRAM_SHA_512)
            .or(() -> scram.credential(user, ScramMechanism.SCRAM_SHA_256));
    }

    private static ScramFormatter formatter(ScramMechanism mechanism) {
        try {
            return new ScramFormatter(mechanism);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(mechanism.hashAlgorithm() + " is missing from this JVM", e);
        }
    }

    /** A credential per mechanism for a password nobody knows, to spend the same time on unknown users. */
    private static Map<ScramMechanism, UserScramCredential> decoys() {
        Map<ScramMechanism, UserScramCredential> decoys = new EnumMap<>(ScramMechanism.class);
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            decoys.put(mechanism, create("decoy", mechanism, ScramFormatter.secureRandomString(RANDOM),
                DEFAULT_ITERATIONS, RANDOM));
        }
        return decoys;
    }
}
