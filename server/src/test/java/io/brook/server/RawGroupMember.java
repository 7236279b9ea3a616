package io.brook.server;

import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.GroupApi;
import io.brook.protocol.message.FindCoordinatorRequest;
import io.brook.protocol.message.FindCoordinatorResponse;
import io.brook.protocol.message.HeartbeatRequest;
import io.brook.protocol.message.HeartbeatResponse;
import io.brook.protocol.message.JoinGroupRequest;
import io.brook.protocol.message.JoinGroupResponse;
import io.brook.protocol.message.OffsetCommitRequest;
import io.brook.protocol.message.OffsetCommitResponse;
import io.brook.protocol.message.OffsetFetchRequest;
import io.brook.protocol.message.OffsetFetchResponse;
import io.brook.protocol.message.SyncGroupRequest;
import io.brook.protocol.message.SyncGroupResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;

/**
 * A consumer group member speaking the group protocol itself, request by request (no assignor, no
 * heartbeat thread), so a test decides exactly when it joins, syncs and commits. Requests that meet
 * a coordinator that moved, is loading or is gone find the coordinator again and are sent again.
 */
final class RawGroupMember {
  private static final Set<Errors> MOVED = Set.of(Errors.NOT_COORDINATOR, Errors.COORDINATOR_NOT_AVAILABLE,
      Errors.COORDINATOR_LOAD_IN_PROGRESS, Errors.REQUEST_TIMED_OUT, Errors.LEADER_NOT_AVAILABLE,
      Errors.NETWORK_EXCEPTION, Errors.UNKNOWN_SERVER_ERROR);
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  private final ProcessCluster cluster;
  private final String group;
  private final String clientId;
  private volatile int coordinator = -1;
  volatile String memberId = "";
  volatile int generation = -1;

  RawGroupMember(ProcessCluster cluster, String group, String clientId) {
    this.cluster = cluster;
    this.group = group;
    this.clientId = clientId;
  }

  int coordinator() {
    coordinator = await().atMost(PATIENCE).ignoreExceptions().until(() -> cluster.<FindCoordinatorResponse>request(
        Addresses.FIND_COORDINATOR, FindCoordinatorRequest.group(group), 5_000), r -> r.error() == null).nodeId();
    return coordinator;
  }

  /** The request at the coordinator, or null when it has to be sent again (the coordinator moved, loads, died). */
  private <T> T attempt(GroupApi api, Object request, java.util.function.Function<T, String> errorOf) {
    if (coordinator < 0) {
      coordinator();
    }
    try {
      T reply = cluster.request(api.address(coordinator), request, 10_000);
      String error = errorOf.apply(reply);
      if (error != null && MOVED.contains(Errors.valueOf(error))) {
        coordinator = -1;
        return null;
      }
      return reply;
    } catch (RuntimeException e) {
      if (!MOVED.contains(BrookErrors.errorOf(e))) {
        throw e;
      }
      coordinator = -1;
      return null;
    }
  }

  private <T> T untilAnswered(GroupApi api, java.util.function.Supplier<Object> request,
      java.util.function.Function<T, String> errorOf) {
    return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
        .until(() -> this.<T>attempt(api, request.get(), errorOf), r -> r != null);
  }

  /** Joins (asking for a member id first if it has none) until it is in a generation. */
  JoinGroupResponse join() {
    JoinGroupResponse joined = await().atMost(PATIENCE).until(() -> {
      JoinGroupResponse r = untilAnswered(GroupApi.JOIN_GROUP, () -> new JoinGroupRequest(group, 30_000, 30_000,
          memberId, null, "consumer", List.of(new JoinGroupRequest.Protocol("range", new byte[] {0})), clientId, null),
          JoinGroupResponse::error);
      if (Errors.MEMBER_ID_REQUIRED.name().equals(r.error()) || Errors.UNKNOWN_MEMBER_ID.name().equals(r.error())) {
        memberId = Errors.MEMBER_ID_REQUIRED.name().equals(r.error()) ? r.memberId() : "";
        return null;
      }
      return r;
    }, r -> r != null);
    if (joined.error() != null) {
      throw new AssertionError(clientId + " could not join: " + joined);
    }
    generation = joined.generationId();
    return joined;
  }

  SyncGroupResponse sync(List<SyncGroupRequest.Assignment> assignments) {
    return untilAnswered(GroupApi.SYNC_GROUP, () -> new SyncGroupRequest(group, generation, memberId, null, "consumer",
        "range", assignments), SyncGroupResponse::error);
  }

  String heartbeat() {
    return this.<HeartbeatResponse>untilAnswered(GroupApi.HEARTBEAT,
        () -> new HeartbeatRequest(group, generation, memberId, null), HeartbeatResponse::error).error();
  }

  /** Commits one offset of {@code topic}-0 in its generation: true once acknowledged. */
  boolean commit(String topic, long offset) {
    OffsetCommitResponse r = untilAnswered(GroupApi.OFFSET_COMMIT, () -> new OffsetCommitRequest(group, generation,
        memberId, null, List.of(new OffsetCommitRequest.Offset(topic, 0, offset, -1, ""))),
        response -> response.partitions().get(0).error());
    return r.partitions().get(0).error() == null;
  }

  long committed(String topic) {
    OffsetFetchResponse r = untilAnswered(GroupApi.OFFSET_FETCH, () -> new OffsetFetchRequest(group, null),
        OffsetFetchResponse::error);
    return r.offsets().stream().filter(o -> o.topic().equals(topic) && o.partition() == 0)
        .mapToLong(OffsetFetchResponse.Offset::offset).findFirst().orElse(-1L);
  }
}
