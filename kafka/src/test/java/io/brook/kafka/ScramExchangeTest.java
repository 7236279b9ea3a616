package io.brook.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFirstMessage;
import org.junit.jupiter.api.Test;

/**
 * The SCRAM exchange's checks, with final messages built by hand: the right proof with the RFC's nonce or
 * librdkafka's doubled one passes and is answered with the server's signature; a wrong proof, a nonce without
 * the server's part, and a token extension are refused.
 */
class ScramExchangeTest {
  private static final ScramMechanism SHA_256 = ScramMechanism.SCRAM_SHA_256;
  private final ScramFormatter formatter = formatter();
  private final byte[] salt = formatter.secureRandomBytes();
  private final byte[] saltedPassword = salted("alice-secret");
  private final ScramCredential alice = formatter.generateCredential(salt, saltedPassword, 4096);

  @Test
  void theRightProofPassesWithTheRfcNonceAndWithLibrdkafkasDoubledOne() throws Exception {
    for (boolean doubled : new boolean[] {false, true}) {
      ClientFirstMessage first = new ClientFirstMessage("alice", "client-nonce", Map.of());
      ScramExchange exchange = new ScramExchange(SHA_256, first.toBytes());
      assertThat(exchange.user()).isEqualTo("alice");
      ServerFirstMessage challenge = new ServerFirstMessage(exchange.challenge(alice));
      assertThat(challenge.nonce()).startsWith("client-nonce").isNotEqualTo("client-nonce");
      String nonce = doubled ? first.nonce() + challenge.nonce() : challenge.nonce();
      ServerFinalMessage answer = new ServerFinalMessage(exchange.verify(finalMessage(first, challenge, nonce,
          saltedPassword)));
      assertThat(answer.error()).isNull();
      ClientFinalMessage sent = new ClientFinalMessage("n,,".getBytes(StandardCharsets.UTF_8), nonce);
      assertThat(answer.serverSignature()).as("doubled %s", doubled)
          .isEqualTo(formatter.serverSignature(alice.serverKey(), first, challenge, sent));
    }
  }

  @Test
  void aWrongPasswordANonceWithoutTheServersPartAndTokensAreRefused() throws Exception {
    ClientFirstMessage first = new ClientFirstMessage("alice", "client-nonce", Map.of());
    ScramExchange wrongPassword = new ScramExchange(SHA_256, first.toBytes());
    ServerFirstMessage challenge = new ServerFirstMessage(wrongPassword.challenge(alice));
    assertThatThrownBy(() -> wrongPassword.verify(finalMessage(first, challenge, challenge.nonce(), salted("guess"))))
        .isInstanceOf(SaslException.class).hasMessageContaining("Invalid client credentials");

    ScramExchange replayed = new ScramExchange(SHA_256, first.toBytes());
    ServerFirstMessage fresh = new ServerFirstMessage(replayed.challenge(alice));
    assertThatThrownBy(() -> replayed.verify(finalMessage(first, fresh, first.nonce(), saltedPassword)))
        .isInstanceOf(SaslException.class).hasMessageContaining("nonce");
    assertThatThrownBy(() -> replayed.verify(finalMessage(first, fresh, first.nonce() + first.nonce(), saltedPassword)))
        .isInstanceOf(SaslException.class).hasMessageContaining("nonce");

    assertThatThrownBy(() -> new ScramExchange(SHA_256, new ClientFirstMessage("alice", "n",
        Map.of("tokenauth", "true")).toBytes())).isInstanceOf(SaslAuthenticationException.class)
        .hasMessageContaining("delegation tokens");
    assertThatThrownBy(() -> new ScramExchange(SHA_256, "n,a=admin,n=alice,r=abc".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SaslAuthenticationException.class).hasMessageContaining("authorization id");
    assertThatThrownBy(() -> new ScramExchange(SHA_256, "garbage".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SaslException.class);
  }

  /** A client-final message with {@code nonce}, proved with {@code salted} as a client computes it. */
  private byte[] finalMessage(ClientFirstMessage first, ServerFirstMessage challenge, String nonce, byte[] salted)
      throws Exception {
    ClientFinalMessage message = new ClientFinalMessage("n,,".getBytes(StandardCharsets.UTF_8), nonce);
    message.proof(formatter.clientProof(salted, first, challenge, message));
    return message.toBytes();
  }

  private byte[] salted(String password) {
    try {
      return formatter.saltedPassword(password, salt, 4096);
    } catch (java.security.InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ScramFormatter formatter() {
    try {
      return new ScramFormatter(SHA_256);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
