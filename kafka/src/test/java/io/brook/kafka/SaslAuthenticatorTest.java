package io.brook.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.brook.protocol.LocalSecurity.Authenticate;
import io.brook.protocol.LocalSecurity.ScramLookup;
import io.brook.protocol.codec.BrookCodecs;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.SaslClient;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SASL listener's exchange over a plain socket, with kafka-clients' own SCRAM client: a user with the
 * right password becomes the principal of every later request, a wrong one is refused and its connection
 * closed, and nothing but ApiVersions and the SASL requests is served before. The security verticle is a
 * stand-in on the same local addresses.
 */
class SaslAuthenticatorTest {
  private static final String PASSWORD = "alice-secret";
  private Vertx vertx;
  private int port;
  private final List<KafkaPrincipal> served = new CopyOnWriteArrayList<>();
  private ScramCredential alice;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    BrookCodecs.register(vertx.eventBus());
    ScramFormatter formatter = new ScramFormatter(ScramMechanism.SCRAM_SHA_512);
    byte[] salt = formatter.secureRandomBytes();
    alice = formatter.generateCredential(salt, formatter.saltedPassword(PASSWORD, salt, 4096), 4096);
    ScramCredential decoy = formatter.generateCredential(salt, formatter.saltedPassword("decoy", salt, 4096), 4096);
    vertx.eventBus().<ScramLookup>localConsumer(Addresses.LOCAL_SCRAM_CREDENTIAL, m -> m.reply(
        m.body().user().equals("alice") && m.body().mechanism().equals("SCRAM-SHA-512") ? alice : decoy));
    vertx.eventBus().<Authenticate>localConsumer(Addresses.LOCAL_AUTHENTICATE, m -> {
      if (m.body().user().equals("alice") && m.body().password().equals(PASSWORD)) {
        m.reply("User:alice");
      } else {
        m.fail(Errors.SASL_AUTHENTICATION_FAILED.code(), "Authentication failed: invalid user name or password");
      }
    });
    KafkaApi describe = KafkaApi.of(ApiKeys.DESCRIBE_CLUSTER, request -> {
      served.add(request.context().principal);
      return Future.succeededFuture(new DescribeClusterResponse(new DescribeClusterResponseData()));
    });
    KafkaListenerVerticle listener = new KafkaListenerVerticle((v, node) -> List.of(describe));
    vertx.deployVerticle(listener, new DeploymentOptions().setConfig(new JsonObject().put("kafka.port", "0")
        .put("kafka.security.protocol", "SASL_PLAINTEXT").put("connection.failed.authentication.delay.ms", "0"))).await();
    port = listener.actualPort();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void scramWithTheRightPasswordMakesTheUserThePrincipalOfLaterRequests() throws Exception {
    try (KafkaTestClient client = new KafkaTestClient(port)) {
      ApiVersionsResponse versions = (ApiVersionsResponse) client.call(new ApiVersionsRequest.Builder().build((short) 3), 1);
      assertThat(versions.data().apiKeys()).extracting(ApiVersionsResponseData.ApiVersion::apiKey)
          .contains(ApiKeys.SASL_HANDSHAKE.id, ApiKeys.SASL_AUTHENTICATE.id);
      assertThat(handshake(client, "SCRAM-SHA-512").data().errorCode()).isEqualTo(Errors.NONE.code());
      SaslClient scram = new ScramSaslClient(ScramMechanism.SCRAM_SHA_512, callbacks -> {
        for (Callback callback : callbacks) {
          if (callback instanceof NameCallback name) {
            name.setName("alice");
          } else if (callback instanceof PasswordCallback password) {
            password.setPassword(PASSWORD.toCharArray());
          }
        }
      });
      byte[] token = scram.evaluateChallenge(new byte[0]);
      for (int step = 0; !scram.isComplete(); step++) {
        SaslAuthenticateResponse answer = authenticate(client, token, 10 + step);
        assertThat(answer.data().errorCode()).as(answer.data().errorMessage()).isEqualTo(Errors.NONE.code());
        token = scram.evaluateChallenge(answer.data().authBytes()); // the last one checks the server's signature
      }
      describeCluster(client, 20);
      assertThat(served).containsExactly(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice"));
    }
  }

  @Test
  void plainChecksThePasswordWithTheSecurityVerticle() throws Exception {
    try (KafkaTestClient client = new KafkaTestClient(port)) {
      assertThat(handshake(client, "PLAIN").data().errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(authenticate(client, "\u0000alice\u0000alice-secret".getBytes(StandardCharsets.UTF_8), 2)
          .data().errorCode()).isEqualTo(Errors.NONE.code());
      describeCluster(client, 3);
      assertThat(served).containsExactly(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice"));
    }
  }

  @Test
  void aWrongPasswordAnUnknownUserAndAnotherUsersIdentityAreRefusedAndTheirConnectionsClosed() throws Exception {
    for (String user : List.of("alice", "mallory")) {
      try (KafkaTestClient client = new KafkaTestClient(port)) {
        handshake(client, "SCRAM-SHA-512");
        SaslClient scram = new ScramSaslClient(ScramMechanism.SCRAM_SHA_512, callbacks -> {
          for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
              name.setName(user);
            } else if (callback instanceof PasswordCallback password) {
              password.setPassword("guess".toCharArray());
            }
          }
        });
        SaslAuthenticateResponse first = authenticate(client, scram.evaluateChallenge(new byte[0]), 2);
        assertThat(first.data().errorCode()).as("%s: an unknown user is not told at the first step", user)
            .isEqualTo(Errors.NONE.code());
        SaslAuthenticateResponse last = authenticate(client, scram.evaluateChallenge(first.data().authBytes()), 3);
        assertThat(last.data().errorCode()).as(user).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
        assertThat(last.data().errorMessage()).as(user).contains("invalid credentials");
        assertThat(client.closedByServer()).as(user).isTrue();
      }
    }
    try (KafkaTestClient client = new KafkaTestClient(port)) {
      handshake(client, "PLAIN");
      SaslAuthenticateResponse refused = authenticate(client, "admin\u0000alice\u0000alice-secret"
          .getBytes(StandardCharsets.UTF_8), 2);
      assertThat(refused.data().errorCode()).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED.code());
      assertThat(refused.data().errorMessage()).contains("authorization id that is different");
      assertThat(client.closedByServer()).isTrue();
    }
    assertThat(served).isEmpty();
  }

  @Test
  void anythingButApiVersionsAndSaslBeforeAuthenticationClosesTheConnection() throws Exception {
    try (KafkaTestClient client = new KafkaTestClient(port)) {
      client.write(new DescribeClusterRequest(new DescribeClusterRequestData(), (short) 1), 1);
      assertThat(client.closedByServer()).isTrue();
    }
    try (KafkaTestClient client = new KafkaTestClient(port)) { // a mechanism not offered
      SaslHandshakeResponse refused = handshake(client, "GSSAPI");
      assertThat(refused.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM.code());
      assertThat(refused.data().mechanisms()).containsExactly("SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN");
      assertThat(client.closedByServer()).isTrue();
    }
    try (KafkaTestClient client = new KafkaTestClient(port)) { // authenticate before the handshake
      client.write(new SaslAuthenticateRequest(new SaslAuthenticateRequestData().setAuthBytes(new byte[1]), (short) 2), 1);
      assertThat(client.closedByServer()).isTrue();
    }
    assertThat(served).isEmpty();
  }

  private static SaslHandshakeResponse handshake(KafkaTestClient client, String mechanism) throws Exception {
    return (SaslHandshakeResponse) client.call(new SaslHandshakeRequest(new SaslHandshakeRequestData()
        .setMechanism(mechanism), (short) 1), 1);
  }

  private static SaslAuthenticateResponse authenticate(KafkaTestClient client, byte[] token, int correlationId)
      throws Exception {
    return (SaslAuthenticateResponse) client.call(new SaslAuthenticateRequest(new SaslAuthenticateRequestData()
        .setAuthBytes(token), (short) 2), correlationId);
  }

  private static void describeCluster(KafkaTestClient client, int correlationId) throws Exception {
    assertThat(client.call(new DescribeClusterRequest(new DescribeClusterRequestData(), (short) 1), correlationId))
        .isInstanceOf(DescribeClusterResponse.class);
  }
}
