package io.brook.client.internals;

import io.brook.protocol.Addresses;
import io.brook.protocol.GroupApi;
import io.brook.protocol.message.FindCoordinatorRequest;
import io.brook.protocol.message.FindCoordinatorResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The way to one group's coordinator: FindCoordinator ({@code brook.api.find-coordinator}, any broker
 * answers), then the group requests to {@code brook.api.broker.<node>.group.*} of the broker it
 * named, each watched on that broker's event bus node (a request to a broker that dies fails at
 * once, retriable). The coordinator is forgotten ("unknown", looked up again) when an answer says
 * it moved or is unavailable ({@code NOT_COORDINATOR}, {@code COORDINATOR_NOT_AVAILABLE}), when a
 * request timed out or its broker left the cluster, or when the member's session passed without a
 * heartbeat answered.
 *
 * <p>Owned by one context (the consumer's, or an admin call's): every method runs there; at most
 * one FindCoordinator in flight.
 */
final class CoordinatorChannel {
  private static final System.Logger LOG = System.getLogger(CoordinatorChannel.class.getName());
  /** Errors after which the coordinator must be looked up again. */
  private static final Set<Errors> COORDINATOR_GONE = Set.of(Errors.NOT_COORDINATOR, Errors.COORDINATOR_NOT_AVAILABLE,
      Errors.REQUEST_TIMED_OUT, Errors.NETWORK_EXCEPTION, Errors.LEADER_NOT_AVAILABLE);

  /** The coordinator's broker id, host, and event bus node (null when not clustered or unknown). */
  record Node(int id, String host, String eventBusNode) {}

  private final Vertx vertx;
  private final Rpc rpc;
  private final String groupId;
  private final long requestTimeoutMs;
  private final long retryBackoffMs;
  private Node coordinator;
  private Future<Node> lookup;

  CoordinatorChannel(Vertx vertx, Rpc rpc, String groupId, long requestTimeoutMs, long retryBackoffMs) {
    this.vertx = vertx;
    this.rpc = rpc;
    this.groupId = groupId;
    this.requestTimeoutMs = requestTimeoutMs;
    this.retryBackoffMs = retryBackoffMs;
  }

  /** One FindCoordinator for {@code groupId}; fails with the error it answered ({@code COORDINATOR_NOT_AVAILABLE}: retry). */
  static Future<Node> find(Rpc rpc, String groupId, long timeoutMs) {
    return rpc.request(Addresses.FIND_COORDINATOR, FindCoordinatorRequest.group(groupId), timeoutMs,
        FindCoordinatorResponse.class).compose(r -> r.error() == null
            ? Future.succeededFuture(new Node(r.nodeId(), r.host(), r.eventBusNodeId()))
            : Future.failedFuture(MetadataSnapshot.errorOf(r.error()).exception(r.errorMessage())));
  }

  /** Whether the coordinator is unknown; one whose event bus node left the cluster is forgotten first. */
  boolean unknown() {
    if (coordinator != null && coordinator.eventBusNode() != null) {
      List<String> members = rpc.clusterMembers();
      if (members != null && !members.contains(coordinator.eventBusNode())) {
        markUnknown("its event bus node left the cluster");
      }
    }
    return coordinator == null;
  }

  Node coordinator() {
    return coordinator;
  }

  /** Looks the coordinator up once (joining the look-up in flight, if any). */
  Future<Node> lookup() {
    if (lookup != null) {
      return lookup;
    }
    Future<Node> started = find(rpc, groupId, requestTimeoutMs);
    lookup = started;
    started.onComplete(ar -> { // may run at once: then the field is already cleared when this returns
      lookup = null;
      if (ar.succeeded()) {
        coordinator = ar.result();
        LOG.log(System.Logger.Level.DEBUG, "Group " + groupId + ": coordinator is broker " + coordinator.id());
      }
    });
    return started;
  }

  /** Looks the coordinator up until it is known, retrying retriable errors after {@code retry.backoff.ms}, until {@code deadlineMs}. */
  Future<Void> ensureKnown(long deadlineMs) {
    return Retries.until(vertx, () -> unknown() ? lookup().<Void>mapEmpty() : Future.<Void>succeededFuture(), deadlineMs,
        retryBackoffMs, "finding the coordinator of group " + groupId);
  }

  /**
   * Sends a group request to the coordinator; fails with {@link CoordinatorNotAvailableException}
   * at once when it is unknown. A failure that means the coordinator is gone forgets it.
   */
  <T> Future<T> send(GroupApi api, Object request, long timeoutMs, Class<T> type) {
    Node target = coordinator;
    if (target == null) {
      return Future.failedFuture(new CoordinatorNotAvailableException("The coordinator of group " + groupId
          + " is not known"));
    }
    return rpc.request(api.address(target.id()), request, timeoutMs, type, target.eventBusNode())
        .onFailure(error -> {
          Errors code = Errors.forException(error);
          if (COORDINATOR_GONE.contains(code)) {
            markUnknown(target, code + " on " + api);
          }
        });
  }

  <T> Future<T> send(GroupApi api, Object request, Class<T> type) {
    return send(api, request, requestTimeoutMs, type);
  }

  /** As {@link #send(GroupApi, Object, Class)}, after one look-up when the coordinator is unknown. */
  <T> Future<T> sendWhenKnown(GroupApi api, Object request, Class<T> type) {
    Future<?> ready = unknown() ? lookup() : Future.succeededFuture();
    return ready.compose(v -> send(api, request, type));
  }

  /**
   * The failure an error field of an answer stands for; a coordinator that moved or is unavailable
   * is forgotten first (the errors are retriable: the caller looks it up again).
   */
  <T> Future<T> failWith(Errors error, String what) {
    if (isCoordinatorError(error)) {
      markUnknown(error + " on " + what);
    }
    return Future.failedFuture(error.exception());
  }

  /** An answer (or the member's session) says the coordinator moved or is unavailable: look it up again. */
  void markUnknown(String cause) {
    if (coordinator != null) {
      markUnknown(coordinator, cause);
    }
  }

  private void markUnknown(Node which, String cause) {
    if (coordinator != null && coordinator.equals(which)) {
      LOG.log(System.Logger.Level.INFO, "Group " + groupId + ": coordinator " + which.id() + " is unavailable or moved ("
          + cause + "); looking it up again");
      coordinator = null;
    }
  }

  /** Whether the error means the coordinator is gone or moved (the request may be sent again after a look-up). */
  static boolean isCoordinatorError(Errors error) {
    return COORDINATOR_GONE.contains(error);
  }
}
