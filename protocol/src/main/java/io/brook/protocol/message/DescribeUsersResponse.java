package io.brook.protocol.message;

import java.util.List;

/**
 * Users by name, each with its SCRAM mechanisms and iteration counts (Kafka's
 * DescribeUserScramCredentials): never a salt or a key.
 */
public record DescribeUsersResponse(List<User> users) {
  public record User(String name, List<Credential> credentials) {}

  public record Credential(String mechanism, int iterations) {}
}
