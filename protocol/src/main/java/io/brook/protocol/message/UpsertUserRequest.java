package io.brook.protocol.message;

/**
 * Sets user {@code name}'s SCRAM credential for {@code mechanism}: the salt and the keys derived from
 * the password (kafka-clients' ScramFormatter), standard base64, never the password itself, as Kafka's
 * AlterUserScramCredentials. {@code mode} CREATE refuses a user who already has a credential of the
 * mechanism (DUPLICATE_RESOURCE), UPDATE one who has no credential at all (RESOURCE_NOT_FOUND), UPSERT
 * (the default) does either. Answered with an {@link UpsertUserResponse}.
 */
public record UpsertUserRequest(String name, String mechanism, String salt, String storedKey, String serverKey,
                                int iterations, Mode mode) {
  public enum Mode { CREATE, UPDATE, UPSERT }

  public UpsertUserRequest {
    mode = mode == null ? Mode.UPSERT : mode;
  }

  @Override
  public String toString() { // keys stay out of logs
    return "UpsertUserRequest[name=" + name + ", mechanism=" + mechanism + ", iterations=" + iterations
        + ", mode=" + mode + "]";
  }
}
