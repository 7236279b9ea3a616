package io.brook.protocol.message;

/**
 * Which broker coordinates {@code key}: a consumer group's id ({@code keyType} "GROUP", the only
 * type Brook serves). Any broker answers, from its metadata.
 */
public record FindCoordinatorRequest(String key, String keyType) {
  public static final String GROUP = "GROUP";

  public static FindCoordinatorRequest group(String groupId) {
    return new FindCoordinatorRequest(groupId, GROUP);
  }
}
