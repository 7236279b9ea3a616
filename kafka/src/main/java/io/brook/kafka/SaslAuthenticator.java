package io.brook.kafka;

import io.brook.protocol.Addresses;
import io.brook.protocol.LocalSecurity.Authenticate;
import io.brook.protocol.LocalSecurity.ScramLookup;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * Who the client of one SASL connection is (KIP-43, KIP-152): SaslHandshake names a mechanism, then
 * SaslAuthenticate requests carry its tokens until the client is a Brook user or the connection is closed.
 * Before that, only ApiVersions and these two are served (anything else closes the connection, as Kafka's
 * broker does).
 * <ul>
 *   <li>SCRAM-SHA-256/512 ({@link ScramExchange}): the client's proof is checked against the user's stored
 *       credential, which this broker's security verticle answers on a local address (a decoy for an unknown
 *       user, so that both fail at the same step). Only HMACs here: the event loop can.</li>
 *   <li>PLAIN (RFC 4616): the password is checked by the security verticle, off the event loop (PBKDF2).</li>
 * </ul>
 * A failure is answered {@code SASL_AUTHENTICATION_FAILED} after {@code connection.failed.authentication.delay.ms}
 * and the connection closes. Sessions do not expire (session lifetime 0: no re-authentication, KIP-368).
 * Owned by the connection's event loop.
 */
final class SaslAuthenticator {
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(10_000);

  private enum State { HANDSHAKE, AUTHENTICATE, EXCHANGING, COMPLETE, FAILED }

  private final Vertx vertx;
  private final List<String> mechanisms;
  private final int failureDelayMs;
  private State state = State.HANDSHAKE;
  private String mechanism;
  private ScramExchange scram;
  private KafkaPrincipal principal = KafkaPrincipal.ANONYMOUS;
  /** Why authentication failed: for the connection's one log line. */
  private String failure;

  SaslAuthenticator(Vertx vertx, List<String> mechanisms, int failureDelayMs) {
    this.vertx = vertx;
    this.mechanisms = mechanisms;
    this.failureDelayMs = failureDelayMs;
  }

  /** The SASL APIs a SASL listener serves: each hands the request to its connection's authenticator. */
  static List<KafkaApi> apis() {
    return List.of(KafkaApi.of(ApiKeys.SASL_HANDSHAKE, r -> r.connection().sasl().handshake(r)),
        KafkaApi.of(ApiKeys.SASL_AUTHENTICATE, r -> r.connection().sasl().authenticate(r)));
  }

  boolean complete() {
    return state == State.COMPLETE;
  }

  /** Whether the connection must close once the response that said so is written. */
  boolean failed() {
    return state == State.FAILED;
  }

  String failure() {
    return failure;
  }

  KafkaPrincipal principal() {
    return principal;
  }

  /** Whether a request of {@code key} may come now, before the client is authenticated. */
  boolean allowsBeforeAuthentication(ApiKeys key) {
    return switch (key) {
      case API_VERSIONS -> state == State.HANDSHAKE;
      case SASL_HANDSHAKE -> state == State.HANDSHAKE;
      case SASL_AUTHENTICATE -> state == State.AUTHENTICATE;
      default -> false;
    };
  }

  Future<AbstractResponse> handshake(KafkaRequest request) {
    SaslHandshakeResponseData data = new SaslHandshakeResponseData().setMechanisms(mechanisms);
    if (state != State.HANDSHAKE) { // after authentication: no re-authentication is offered
      return Future.succeededFuture(new SaslHandshakeResponse(data.setErrorCode(Errors.ILLEGAL_SASL_STATE.code())));
    }
    String asked = ((SaslHandshakeRequest) request.body()).data().mechanism();
    if (!mechanisms.contains(asked)) {
      fail("mechanism '" + asked + "' is not enabled (" + String.join(", ", mechanisms) + ")");
      return delayed(new SaslHandshakeResponse(data.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code())));
    }
    mechanism = asked;
    state = State.AUTHENTICATE;
    return Future.succeededFuture(new SaslHandshakeResponse(data.setErrorCode(Errors.NONE.code())));
  }

  Future<AbstractResponse> authenticate(KafkaRequest request) {
    if (state != State.AUTHENTICATE) {
      return Future.succeededFuture(failed(Errors.ILLEGAL_SASL_STATE, new IllegalSaslStateException(
          "SaslAuthenticate in state " + state)));
    }
    state = State.EXCHANGING;
    byte[] token = ((SaslAuthenticateRequest) request.body()).data().authBytes();
    Future<byte[]> step = "PLAIN".equals(mechanism) ? plain(token) : scram(token);
    return step.transform(done -> {
      if (done.succeeded()) {
        if (state == State.EXCHANGING) {
          state = State.AUTHENTICATE; // SCRAM's first step: the client answers the challenge next
        }
        return Future.succeededFuture(new SaslAuthenticateResponse(new SaslAuthenticateResponseData()
            .setErrorCode(Errors.NONE.code()).setAuthBytes(done.result()).setSessionLifetimeMs(0)));
      }
      Throwable cause = done.cause();
      String message = cause instanceof SaslAuthenticationException ? cause.getMessage()
          : "Authentication failed during authentication due to invalid credentials with SASL mechanism " + mechanism;
      fail(mechanism + ": " + cause.getMessage());
      return delayed(new SaslAuthenticateResponse(new SaslAuthenticateResponseData()
          .setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code()).setErrorMessage(message)));
    });
  }

  private Future<byte[]> scram(byte[] token) {
    try {
      if (scram != null) { // the client's final message: proof checked, server signature answered
        byte[] answer = scram.verify(token);
        completeAs(scram.user());
        return Future.succeededFuture(answer);
      }
      ScramExchange exchange = new ScramExchange(ScramMechanism.forMechanismName(mechanism), token);
      return vertx.eventBus().<ScramCredential>request(Addresses.LOCAL_SCRAM_CREDENTIAL,
          new ScramLookup(exchange.user(), mechanism), LOCAL).compose(credential -> {
            try {
              byte[] challenge = exchange.challenge(credential.body());
              scram = exchange;
              return Future.succeededFuture(challenge);
            } catch (SaslException | RuntimeException e) {
              return Future.failedFuture(e);
            }
          });
    } catch (SaslException | RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** {@code [authzid] NUL authcid NUL passwd}; an authorization id other than the user is refused. */
  private Future<byte[]> plain(byte[] token) {
    String[] parts = new String(token, StandardCharsets.UTF_8).split("\u0000", -1);
    if (parts.length != 3 || parts[1].isEmpty() || parts[2].isEmpty()) {
      return Future.failedFuture(new SaslException("PLAIN token is not [authzid] NUL user NUL password"));
    }
    if (!parts[0].isEmpty() && !parts[0].equals(parts[1])) {
      return Future.failedFuture(new SaslAuthenticationException(
          "Authentication failed: Client requested an authorization id that is different from username"));
    }
    return vertx.eventBus().<String>request(Addresses.LOCAL_AUTHENTICATE, new Authenticate(parts[1], parts[2], null), LOCAL)
        .map(reply -> {
          completeAs(parts[1]);
          return new byte[0];
        });
  }

  private void completeAs(String user) {
    principal = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, user);
    state = State.COMPLETE;
  }

  private void fail(String why) {
    state = State.FAILED;
    scram = null;
    failure = "SASL authentication failed: " + why;
  }

  private SaslAuthenticateResponse failed(Errors error, Exception cause) {
    fail(cause.getMessage());
    return new SaslAuthenticateResponse(new SaslAuthenticateResponseData().setErrorCode(error.code())
        .setErrorMessage(cause.getMessage()));
  }

  /** A refusal answered after the configured delay: a client guessing passwords gets few tries a second. */
  private Future<AbstractResponse> delayed(AbstractResponse response) {
    Promise<AbstractResponse> promise = Promise.promise();
    vertx.setTimer(Math.max(1, failureDelayMs), t -> promise.complete(response));
    return promise.future();
  }
}
