package io.brook.kafka;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.DeleteUserRequest;
import io.brook.protocol.message.DescribeUsersRequest;
import io.brook.protocol.message.DescribeUsersResponse;
import io.brook.protocol.message.UpsertUserRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterUserScramCredentialsRequest;
import org.apache.kafka.common.requests.AlterUserScramCredentialsResponse;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsRequest;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsResponse;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;

/**
 * Kafka's user APIs (KIP-554) over Brook's users, so that {@code kafka-configs --entity-type users} and
 * {@code Admin.alterUserScramCredentials} manage the users Kafka clients log in as:
 * DescribeUserScramCredentials ({@code brook.api.admin.describe-users}: mechanisms and iterations, never
 * keys) and AlterUserScramCredentials (the client sends a salt and a salted password, never the password;
 * the stored and server keys are derived here, as Kafka's broker does, and go to
 * {@code brook.api.admin.upsert-user}; deletions to {@code delete-user}). As the client: its ACLs apply
 * (DESCRIBE / ALTER on the cluster).
 */
final class UserScramApis {
  private static final long TIMEOUT_MS = 30_000;

  private UserScramApis() {}

  static List<KafkaApi> all(Vertx vertx) {
    return List.of(KafkaApi.of(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, request -> describe(vertx, request)),
        KafkaApi.of(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, request -> alter(vertx, request)));
  }

  private static Future<AbstractResponse> describe(Vertx vertx, KafkaRequest request) {
    DescribeUserScramCredentialsRequestData data = ((DescribeUserScramCredentialsRequest) request.body()).data();
    List<String> asked = data.users() == null ? List.of()
        : data.users().stream().map(DescribeUserScramCredentialsRequestData.UserName::name).toList();
    DescribeUserScramCredentialsResponseData response = new DescribeUserScramCredentialsResponseData();
    Set<String> duplicates = new HashSet<>();
    Set<String> seen = new HashSet<>();
    asked.forEach(name -> {
      if (!seen.add(name)) {
        duplicates.add(name);
      }
    });
    return vertx.eventBus().<DescribeUsersResponse>request(Addresses.DESCRIBE_USERS, new DescribeUsersRequest(
            asked.stream().filter(name -> !duplicates.contains(name)).distinct().toList()),
            request.onBehalfOfClient(TIMEOUT_MS))
        .map(reply -> {
          Map<String, DescribeUsersResponse.User> found = new LinkedHashMap<>();
          reply.body().users().forEach(user -> found.put(user.name(), user));
          for (String name : asked.isEmpty() ? List.copyOf(found.keySet()) : asked.stream().distinct().toList()) {
            DescribeUserScramCredentialsResult result = new DescribeUserScramCredentialsResult().setUser(name);
            DescribeUsersResponse.User user = found.get(name);
            if (duplicates.contains(name)) {
              result.setErrorCode(Errors.DUPLICATE_RESOURCE.code()).setErrorMessage("Cannot describe SCRAM credentials "
                  + "for the same user twice in a single request: " + name);
            } else if (user == null || user.credentials().isEmpty()) {
              result.setErrorCode(Errors.RESOURCE_NOT_FOUND.code())
                  .setErrorMessage("Attempt to describe a user credential that does not exist: " + name);
            } else {
              user.credentials().forEach(c -> result.credentialInfos().add(new CredentialInfo()
                  .setMechanism(ScramMechanism.fromMechanismName(c.mechanism()).type()).setIterations(c.iterations())));
            }
            response.results().add(result);
          }
          return (AbstractResponse) new DescribeUserScramCredentialsResponse(response);
        })
        .recover(failure -> Future.succeededFuture(new DescribeUserScramCredentialsResponse(response
            .setErrorCode(BrookErrors.errorOf(failure).code()).setErrorMessage(failure.getMessage()))));
  }

  private static Future<AbstractResponse> alter(Vertx vertx, KafkaRequest request) {
    AlterUserScramCredentialsRequestData data = ((AlterUserScramCredentialsRequest) request.body()).data();
    Map<String, AlterUserScramCredentialsResult> results = new LinkedHashMap<>();
    Map<String, Future<?>> chains = new LinkedHashMap<>(); // one user's changes in order, users concurrently
    Set<String> touched = new HashSet<>();
    for (AlterUserScramCredentialsRequestData.ScramCredentialDeletion deletion : data.deletions()) {
      ScramMechanism mechanism = ScramMechanism.fromType(deletion.mechanism());
      change(results, chains, touched, deletion.name(), mechanism, () -> mechanism == ScramMechanism.UNKNOWN
          ? Future.failedFuture(new org.apache.kafka.common.errors.UnsupportedSaslMechanismException(
              "Unknown SCRAM mechanism " + deletion.mechanism()))
          : vertx.eventBus().request(Addresses.DELETE_USER, new DeleteUserRequest(deletion.name(),
              mechanism.mechanismName()), request.onBehalfOfClient(TIMEOUT_MS)));
    }
    for (AlterUserScramCredentialsRequestData.ScramCredentialUpsertion upsertion : data.upsertions()) {
      ScramMechanism mechanism = ScramMechanism.fromType(upsertion.mechanism());
      change(results, chains, touched, upsertion.name(), mechanism, () -> {
        if (mechanism == ScramMechanism.UNKNOWN) {
          return Future.failedFuture(new org.apache.kafka.common.errors.UnsupportedSaslMechanismException(
              "Unknown SCRAM mechanism " + upsertion.mechanism()));
        }
        ScramCredential credential = credential(mechanism, upsertion);
        Base64.Encoder base64 = Base64.getEncoder();
        return vertx.eventBus().request(Addresses.UPSERT_USER, new UpsertUserRequest(upsertion.name(),
            mechanism.mechanismName(), base64.encodeToString(credential.salt()),
            base64.encodeToString(credential.storedKey()), base64.encodeToString(credential.serverKey()),
            credential.iterations(), UpsertUserRequest.Mode.UPSERT), request.onBehalfOfClient(TIMEOUT_MS));
      });
    }
    return Future.join(new ArrayList<>(chains.values())).transform(done -> Future.succeededFuture(
        new AlterUserScramCredentialsResponse(new AlterUserScramCredentialsResponseData()
            .setResults(new ArrayList<>(results.values())))));
  }

  /** Chains one change after the user's earlier ones; the user's result is the first failure, if any. */
  private static void change(Map<String, AlterUserScramCredentialsResult> results, Map<String, Future<?>> chains,
      Set<String> touched, String user, ScramMechanism mechanism, java.util.function.Supplier<Future<?>> send) {
    AlterUserScramCredentialsResult result = results.computeIfAbsent(user,
        name -> new AlterUserScramCredentialsResult().setUser(name).setErrorCode(Errors.NONE.code()));
    if (!touched.add(user + "\u0000" + mechanism)) { // as Kafka: one change per user and mechanism
      fail(result, Errors.DUPLICATE_RESOURCE.code(), "A user credential cannot be altered twice in the same request");
      return;
    }
    chains.put(user, chains.getOrDefault(user, Future.succeededFuture())
        .transform(previous -> {
          if (result.errorCode() != Errors.NONE.code()) {
            return Future.succeededFuture();
          }
          try {
            return send.get();
          } catch (RuntimeException e) {
            return Future.failedFuture(e);
          }
        })
        .onFailure(failure -> fail(result, BrookErrors.errorOf(failure).code(), failure.getMessage())));
  }

  private static void fail(AlterUserScramCredentialsResult result, short code, String message) {
    if (result.errorCode() == Errors.NONE.code()) {
      result.setErrorCode(code).setErrorMessage(message);
    }
  }

  /** The stored and server keys from the client's salted password (RFC 5802), as Kafka's broker derives them. */
  private static ScramCredential credential(ScramMechanism mechanism,
      AlterUserScramCredentialsRequestData.ScramCredentialUpsertion upsertion) {
    var internal = org.apache.kafka.common.security.scram.internals.ScramMechanism.forMechanismName(
        mechanism.mechanismName());
    if (upsertion.salt().length == 0 || upsertion.saltedPassword().length == 0) {
      throw new UnacceptableCredentialException("Salt and salted password must not be empty");
    }
    if (upsertion.iterations() < internal.minIterations() || upsertion.iterations() > internal.maxIterations()) {
      throw new UnacceptableCredentialException("Iterations of " + mechanism.mechanismName() + " must be "
          + internal.minIterations() + ".." + internal.maxIterations() + ", was " + upsertion.iterations());
    }
    try {
      return new ScramFormatter(internal).generateCredential(upsertion.salt(), upsertion.saltedPassword(),
          upsertion.iterations());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(mechanism.mechanismName() + " is missing from this JVM", e);
    }
  }
}
