package io.brook.protocol;

import io.brook.protocol.message.DeleteGroupsRequest;
import io.brook.protocol.message.DescribeGroupsRequest;
import io.brook.protocol.message.HeartbeatRequest;
import io.brook.protocol.message.JoinGroupRequest;
import io.brook.protocol.message.LeaveGroupRequest;
import io.brook.protocol.message.ListGroupsRequest;
import io.brook.protocol.message.OffsetCommitRequest;
import io.brook.protocol.message.OffsetDeleteRequest;
import io.brook.protocol.message.OffsetFetchRequest;
import io.brook.protocol.message.SyncGroupRequest;

/**
 * The consumer group requests, each on its own per-broker address: a client sends them to the
 * group's coordinator (found with {@link Addresses#FIND_COORDINATOR}); any other broker answers
 * {@code NOT_COORDINATOR}. ListGroups lists the groups of the broker asked.
 */
public enum GroupApi {
  JOIN_GROUP("join", JoinGroupRequest.class),
  SYNC_GROUP("sync", SyncGroupRequest.class),
  HEARTBEAT("heartbeat", HeartbeatRequest.class),
  LEAVE_GROUP("leave", LeaveGroupRequest.class),
  OFFSET_COMMIT("offset-commit", OffsetCommitRequest.class),
  OFFSET_FETCH("offset-fetch", OffsetFetchRequest.class),
  DESCRIBE_GROUPS("describe", DescribeGroupsRequest.class),
  LIST_GROUPS("list", ListGroupsRequest.class),
  DELETE_GROUPS("delete", DeleteGroupsRequest.class),
  OFFSET_DELETE("offset-delete", OffsetDeleteRequest.class);

  private final String suffix;
  private final Class<?> requestType;

  GroupApi(String suffix, Class<?> requestType) {
    this.suffix = suffix;
    this.requestType = requestType;
  }

  /** {@code brook.api.broker.<nodeId>.group.<api>}. */
  public String address(int nodeId) {
    return "brook.api.broker." + nodeId + ".group." + suffix;
  }

  public Class<?> requestType() {
    return requestType;
  }

  /** The API whose request this is, or null. */
  public static GroupApi of(Object request) {
    for (GroupApi api : values()) {
      if (api.requestType.isInstance(request)) {
        return api;
      }
    }
    return null;
  }

  static final String SUFFIX_REGEX = "group\\.(join|sync|heartbeat|leave|offset-commit|offset-fetch|describe|list|delete|offset-delete)";
}
