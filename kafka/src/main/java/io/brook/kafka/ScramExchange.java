package io.brook.kafka;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFirstMessage;

/**
 * The server side of one SCRAM exchange (RFC 5802), with kafka-clients' message classes and
 * {@link ScramFormatter}, as Kafka's {@code ScramSaslServer} does it, but in two explicit steps so the
 * user's credential can be fetched in between without blocking, and with one difference: librdkafka before
 * 2.6.1 (Debian's kcat among others) sends its own nonce again in front of the combined one in its final
 * message (librdkafka#4895). Kafka 3.8.1 to 3.9 accepted that; Kafka 4 does not, so those clients cannot log
 * in there. Brook accepts exactly that form too: the server's random part must still be echoed, so a
 * replayed final message still fails. Delegation tokens (the {@code tokenauth} extension) are not served.
 */
final class ScramExchange {
  private final ScramFormatter formatter;
  private final ScramMechanism mechanism;
  private final ClientFirstMessage clientFirst;
  private ServerFirstMessage serverFirst;
  private ScramCredential credential;

  /** Reads the client's first message: {@link #user()} is whose credential {@link #challenge} needs. */
  ScramExchange(ScramMechanism mechanism, byte[] clientFirstMessage) throws SaslException {
    try {
      this.formatter = new ScramFormatter(mechanism);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(mechanism.hashAlgorithm() + " is missing from this JVM", e);
    }
    this.mechanism = mechanism;
    this.clientFirst = new ClientFirstMessage(clientFirstMessage);
    if (clientFirst.extensions().tokenAuthenticated()) {
      throw new SaslAuthenticationException("Authentication failed: delegation tokens are not served by Brook");
    }
    String authorizationId = clientFirst.authorizationId();
    if (!authorizationId.isEmpty() && !authorizationId.equals(user())) {
      throw new SaslAuthenticationException(
          "Authentication failed: Client requested an authorization id that is different from username");
    }
  }

  String user() {
    return ScramFormatter.username(clientFirst.saslName());
  }

  /** The server-first message, salted with {@code credential} (a decoy for an unknown user). */
  byte[] challenge(ScramCredential credential) throws SaslException {
    if (credential.iterations() < mechanism.minIterations()) {
      throw new SaslException("Iterations " + credential.iterations() + " is less than the minimum "
          + mechanism.minIterations() + " for " + mechanism);
    }
    this.credential = credential;
    serverFirst = new ServerFirstMessage(clientFirst.nonce(), formatter.secureRandomString(), credential.salt(),
        credential.iterations());
    return serverFirst.toBytes();
  }

  /** Checks the client's proof; answers the server-final message that proves the server knew the key too. */
  byte[] verify(byte[] clientFinalMessage) throws SaslException {
    if (serverFirst == null) {
      throw new SaslException("SCRAM final message before the server's challenge");
    }
    ClientFinalMessage clientFinal = new ClientFinalMessage(clientFinalMessage);
    String nonce = clientFinal.nonce();
    if (!nonce.equals(serverFirst.nonce()) && !nonce.equals(clientFirst.nonce() + serverFirst.nonce())) {
      throw new SaslException("Invalid client nonce in the final client message.");
    }
    try {
      byte[] storedKey = credential.storedKey();
      byte[] clientSignature = formatter.clientSignature(storedKey, clientFirst, serverFirst, clientFinal);
      if (!MessageDigest.isEqual(formatter.storedKey(clientSignature, clientFinal.proof()), storedKey)) {
        throw new SaslException("Invalid client credentials");
      }
      return new ServerFinalMessage(null, formatter.serverSignature(credential.serverKey(), clientFirst, serverFirst,
          clientFinal)).toBytes();
    } catch (InvalidKeyException e) {
      throw new SaslException("Authentication failed: Invalid client final message", e);
    } finally {
      credential = null;
    }
  }
}
