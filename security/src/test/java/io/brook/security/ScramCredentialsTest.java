package io.brook.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.UserScramCredential;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.security.scram.ScramCredentialCallback;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;
import org.apache.kafka.common.security.scram.internals.ScramSaslServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Credentials made from a password verify that password only, and are the ones Kafka's SCRAM exchange accepts. */
class ScramCredentialsTest {

    @ParameterizedTest
    @EnumSource(ScramMechanism.class)
    void theRightPasswordVerifiesAndWrongOnesDoNot(ScramMechanism mechanism) {
        // proves: verify accepts the password the credential was made from and refuses any other
        UserScramCredential credential = ScramCredentials.create("alice", mechanism, "s3cret-ü");
        assertThat(credential.iterations()).isEqualTo(ScramCredentials.DEFAULT_ITERATIONS);
        assertThat(credential.storedKey()).hasSize(UserScramCredential.keyBytes(mechanism));
        assertThat(ScramCredentials.verify(credential, "s3cret-ü")).isTrue();
        for (String wrong : new String[] {"s3cret-u", "S3cret-ü", "s3cret-ü ", "", "x".repeat(2000)}) {
            assertThat(ScramCredentials.verify(credential, wrong)).as(wrong).isFalse();
        }
        assertThat(ScramCredentials.verify(credential, null)).isFalse();
    }

    @Test
    void eachCredentialHasItsOwnSaltAndKeepsNoPassword() {
        // proves: the same password twice gives different salts and keys; the record's JSON does not contain it
        UserScramCredential one = ScramCredentials.create("bob", ScramMechanism.SCRAM_SHA_256, "hunter2-hunter2");
        UserScramCredential two = ScramCredentials.create("bob", ScramMechanism.SCRAM_SHA_256, "hunter2-hunter2");
        assertThat(one.salt()).isNotEqualTo(two.salt());
        assertThat(one.storedKey()).isNotEqualTo(two.storedKey());
        String json = new String(io.brook.metadata.MetadataRecordSerde.value(one), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("hunter2");
    }

    @Test
    void iterationsAndPasswordsAreBounded() {
        // proves: Kafka's iteration bounds (4096..16384) hold at bound and bound + 1; empty and overlong passwords are refused
        SecureRandom random = new SecureRandom();
        ScramMechanism sha256 = ScramMechanism.SCRAM_SHA_256;
        assertThat(ScramCredentials.create("a", sha256, "p", 16384, random).iterations()).isEqualTo(16384);
        assertThatThrownBy(() -> ScramCredentials.create("a", sha256, "p", 4095, random))
            .isInstanceOf(UnacceptableCredentialException.class);
        assertThatThrownBy(() -> ScramCredentials.create("a", sha256, "p", 16385, random))
            .isInstanceOf(UnacceptableCredentialException.class);
        assertThatThrownBy(() -> ScramCredentials.create("a", sha256, "", 4096, random))
            .isInstanceOf(UnacceptableCredentialException.class);
        assertThatThrownBy(() -> ScramCredentials.create("a", sha256, "x".repeat(ScramCredentials.MAX_PASSWORD_CHARS + 1),
            4096, random)).isInstanceOf(UnacceptableCredentialException.class);
        assertThatThrownBy(() -> ScramCredentials.create("a:b", sha256, "p", 4096, random))
            .isInstanceOf(UnacceptableCredentialException.class);
        UserScramCredential slow = ScramCredentials.create("a", ScramMechanism.SCRAM_SHA_512, "pw", 8192, random);
        assertThat(ScramCredentials.verify(slow, "pw")).isTrue();
    }

    @Test
    void authenticateUsesTheImageAndRefusesUnknownUsers() {
        // proves: authenticate checks the user's credential in the image (SHA-512 first), and unknown users fail
        MetadataImage image = MetadataImage.EMPTY
            .apply(ScramCredentials.create("alice", ScramMechanism.SCRAM_SHA_256, "old"), 0)
            .apply(ScramCredentials.create("alice", ScramMechanism.SCRAM_SHA_512, "new"), 1)
            .apply(ScramCredentials.create("bob", ScramMechanism.SCRAM_SHA_256, "bobpw"), 2);
        assertThat(ScramCredentials.authenticate(image.scram(), "alice", "new")).isTrue();
        assertThat(ScramCredentials.authenticate(image.scram(), "alice", "old")).isFalse();
        assertThat(ScramCredentials.authenticate(image.scram(), "bob", "bobpw")).isTrue();
        assertThat(ScramCredentials.authenticate(image.scram(), "bob", "new")).isFalse();
        assertThat(ScramCredentials.authenticate(image.scram(), "carol", "new")).isFalse();
        assertThat(ScramCredentials.authenticate(image.scram(), null, "new")).isFalse();
        assertThat(ScramCredentials.authenticate(image.scram(), "alice", null)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(ScramMechanism.class)
    void kafkasScramServerAcceptsTheCredentialForTheRightPasswordOnly(ScramMechanism mechanism) throws Exception {
        // proves: a stock Kafka SCRAM client logs in against the stored credential (both keys right), and a wrong password fails
        UserScramCredential credential = ScramCredentials.create("alice", mechanism, "pa55word");
        assertThat(scramExchange(mechanism, credential, "alice", "pa55word")).isTrue();
        assertThatThrownBy(() -> scramExchange(mechanism, credential, "alice", "wrong"))
            .isInstanceOfAny(SaslAuthenticationException.class, SaslException.class);
    }

    /** Runs kafka-clients' SCRAM client against its SCRAM server; true if both sides complete. */
    private static boolean scramExchange(ScramMechanism mechanism, UserScramCredential stored, String user,
                                         String password) throws Exception {
        ScramSaslClient client = new ScramSaslClient(mechanism, callbacks -> {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    name.setName(user);
                } else if (callback instanceof PasswordCallback pass) {
                    pass.setPassword(password.toCharArray());
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        });
        ScramSaslServer server = new ScramSaslServer(mechanism, Map.of(), callbacks -> {
            String name = null;
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback nameCallback) {
                    name = nameCallback.getDefaultName();
                } else if (callback instanceof ScramCredentialCallback credential) {
                    if (stored.name().equals(name)) {
                        credential.scramCredential(stored.toScramCredential());
                    }
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        });
        byte[] clientFirst = client.evaluateChallenge(new byte[0]);
        byte[] serverFirst = server.evaluateResponse(clientFirst);
        byte[] clientFinal = client.evaluateChallenge(serverFirst);
        byte[] serverFinal = server.evaluateResponse(clientFinal);
        client.evaluateChallenge(serverFinal); // checks the server's signature, made with the ServerKey
        return client.isComplete() && server.isComplete() && user.equals(server.getAuthorizationID());
    }
}
