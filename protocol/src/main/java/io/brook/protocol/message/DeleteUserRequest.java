package io.brook.protocol.message;

/**
 * Deletes user {@code name}'s credential for {@code mechanism}, or all of them when it is left out or
 * empty (RESOURCE_NOT_FOUND when there is none). Answered with a {@link DeleteUserResponse}.
 */
public record DeleteUserRequest(String name, String mechanism) {
  public DeleteUserRequest {
    mechanism = mechanism == null ? "" : mechanism;
  }
}
