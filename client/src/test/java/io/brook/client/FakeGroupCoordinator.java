package io.brook.client;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.GroupApi;
import io.brook.protocol.message.FindCoordinatorResponse;
import io.brook.protocol.message.HeartbeatRequest;
import io.brook.protocol.message.HeartbeatResponse;
import io.brook.protocol.message.JoinGroupRequest;
import io.brook.protocol.message.JoinGroupResponse;
import io.brook.protocol.message.LeaveGroupRequest;
import io.brook.protocol.message.LeaveGroupResponse;
import io.brook.protocol.message.OffsetCommitRequest;
import io.brook.protocol.message.OffsetCommitResponse;
import io.brook.protocol.message.OffsetFetchRequest;
import io.brook.protocol.message.OffsetFetchResponse;
import io.brook.protocol.message.SyncGroupRequest;
import io.brook.protocol.message.SyncGroupResponse;
import io.brook.protocol.message.TopicPartitionRef;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * A group coordinator for one member at a time, in the test JVM, for the consumer's error paths:
 * FindCoordinator names {@link #coordinatorNode()}; the group addresses of every node in
 * {@code nodes} share one group, and a node that is not the coordinator fails every request with
 * {@code NOT_COORDINATOR}, as a broker does. A join completes at once (the member leads a
 * generation of its own, MEMBER_ID_REQUIRED first); the test injects errors per API, answered in
 * the response's error field (the whole request's failure for NOT_COORDINATOR), and reads the
 * requests each node got. Handlers run on the verticle's event loop; accessors are thread-safe.
 */
public final class FakeGroupCoordinator extends AbstractVerticle {
  /** A request a node received. */
  public record Call(int node, GroupApi api, Object request) {}

  private final List<Integer> nodes;
  private volatile int coordinatorNode;
  private final Map<GroupApi, Deque<Errors>> injected = new ConcurrentHashMap<>();
  private final Deque<Errors> findErrors = new ConcurrentLinkedDeque<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<TopicPartition, OffsetCommitRequest.Offset> offsets = new ConcurrentHashMap<>();
  private final AtomicInteger memberIds = new AtomicInteger();
  // the group, owned by the event loop
  private int generation;
  private String memberId;
  private byte[] assignment = new byte[0];

  private FakeGroupCoordinator(List<Integer> nodes) {
    this.nodes = nodes;
    this.coordinatorNode = nodes.get(0);
  }

  public static FakeGroupCoordinator start(Vertx vertx, Integer... nodes) {
    FakeGroupCoordinator coordinator = new FakeGroupCoordinator(List.of(nodes));
    vertx.deployVerticle(coordinator).await();
    return coordinator;
  }

  @Override
  public void start() {
    vertx.eventBus().consumer(Addresses.FIND_COORDINATOR, this::find);
    for (int node : nodes) {
      for (GroupApi api : GroupApi.values()) {
        vertx.eventBus().<Object>consumer(api.address(node), m -> handle(node, api, m));
      }
    }
  }

  // ---- test controls ----

  /** FindCoordinator names {@code node} from now on; the others answer NOT_COORDINATOR. */
  public void moveTo(int node) {
    coordinatorNode = node;
  }

  public int coordinatorNode() {
    return coordinatorNode;
  }

  /** The next requests of {@code api} are answered these errors, one each. */
  public void failNext(GroupApi api, Errors... errors) {
    injected.computeIfAbsent(api, a -> new ConcurrentLinkedDeque<>()).addAll(List.of(errors));
  }

  /** The next FindCoordinator requests are answered these errors, one each. */
  public void failNextFinds(Errors... errors) {
    findErrors.addAll(List.of(errors));
  }

  public void committed(TopicPartition tp, long offset) {
    offsets.put(tp, new OffsetCommitRequest.Offset(tp.topic(), tp.partition(), offset, -1, ""));
  }

  public OffsetCommitRequest.Offset committed(TopicPartition tp) {
    return offsets.get(tp);
  }

  public List<Call> calls() {
    return calls;
  }

  public List<Call> calls(GroupApi api) {
    return calls.stream().filter(c -> c.api() == api).toList();
  }

  // ---- handlers ----

  private void find(Message<Object> message) {
    Errors error = findErrors.poll();
    message.reply(error != null ? new FindCoordinatorResponse(error.name(), "injected", -1, null, null)
        : new FindCoordinatorResponse(null, null, coordinatorNode, "127.0.0.1", null));
  }

  private void handle(int node, GroupApi api, Message<Object> message) {
    calls.add(new Call(node, api, message.body()));
    if (node != coordinatorNode) {
      BrookErrors.fail(message, Errors.NOT_COORDINATOR.exception("node " + node + " is not the coordinator"));
      return;
    }
    Deque<Errors> errors = injected.get(api);
    Errors error = errors == null ? null : errors.poll();
    if (error == Errors.NOT_COORDINATOR) {
      BrookErrors.fail(message, error.exception());
      return;
    }
    message.reply(answer(api, message.body(), error == null ? null : error.name()));
  }

  private Object answer(GroupApi api, Object body, String error) {
    switch (api) {
      case JOIN_GROUP:
        return join((JoinGroupRequest) body, error);
      case SYNC_GROUP:
        return sync((SyncGroupRequest) body, error);
      case HEARTBEAT:
        return new HeartbeatResponse(error != null ? error : check(((HeartbeatRequest) body).generationId(),
            ((HeartbeatRequest) body).memberId()));
      case LEAVE_GROUP:
        memberId = null;
        LeaveGroupRequest leave = (LeaveGroupRequest) body;
        return new LeaveGroupResponse(error, leave.members().stream()
            .map(m -> new LeaveGroupResponse.Member(m.memberId(), m.groupInstanceId(), null)).toList());
      case OFFSET_COMMIT:
        return commit((OffsetCommitRequest) body, error);
      case OFFSET_FETCH:
        return fetch((OffsetFetchRequest) body, error);
      default:
        throw new IllegalArgumentException("not served by the fake: " + api);
    }
  }

  private JoinGroupResponse join(JoinGroupRequest r, String error) {
    if (error != null) {
      return new JoinGroupResponse(error, -1, null, null, null, false, r.memberId(), List.of());
    }
    if (r.memberId().isEmpty()) {
      String id = r.clientId() + "-" + memberIds.incrementAndGet();
      return new JoinGroupResponse(Errors.MEMBER_ID_REQUIRED.name(), -1, null, null, null, false, id, List.of());
    }
    generation++;
    memberId = r.memberId();
    JoinGroupRequest.Protocol chosen = r.protocols().get(0);
    return new JoinGroupResponse(null, generation, r.protocolType(), chosen.name(), memberId, false, memberId,
        List.of(new JoinGroupResponse.Member(memberId, r.groupInstanceId(), chosen.metadata())));
  }

  private SyncGroupResponse sync(SyncGroupRequest r, String error) {
    String problem = error != null ? error : check(r.generationId(), r.memberId());
    if (problem != null) {
      return new SyncGroupResponse(problem, null, null, null);
    }
    r.assignments().stream().filter(a -> a.memberId().equals(memberId)).findFirst()
        .ifPresent(a -> assignment = a.assignment());
    return new SyncGroupResponse(null, r.protocolType(), r.protocolName(), assignment);
  }

  private String check(int generationId, String member) {
    if (!member.equals(memberId)) {
      return Errors.UNKNOWN_MEMBER_ID.name();
    }
    return generationId == generation ? null : Errors.ILLEGAL_GENERATION.name();
  }

  private OffsetCommitResponse commit(OffsetCommitRequest r, String error) {
    String problem = error != null ? error : r.generationId() < 0 ? null : check(r.generationId(), r.memberId());
    List<OffsetCommitResponse.Partition> result = new ArrayList<>();
    for (OffsetCommitRequest.Offset o : r.offsets()) {
      if (problem == null) {
        offsets.put(new TopicPartition(o.topic(), o.partition()), o);
      }
      result.add(new OffsetCommitResponse.Partition(o.topic(), o.partition(), problem));
    }
    return new OffsetCommitResponse(result);
  }

  private OffsetFetchResponse fetch(OffsetFetchRequest r, String error) {
    if (error != null) {
      return new OffsetFetchResponse(error, List.of());
    }
    List<OffsetFetchResponse.Offset> result = new ArrayList<>();
    for (TopicPartitionRef ref : r.partitions()) {
      OffsetCommitRequest.Offset o = offsets.get(new TopicPartition(ref.topic(), ref.partition()));
      result.add(o == null ? new OffsetFetchResponse.Offset(ref.topic(), ref.partition(), -1, -1, "")
          : new OffsetFetchResponse.Offset(o.topic(), o.partition(), o.offset(), o.leaderEpoch(), o.metadata()));
    }
    return new OffsetFetchResponse(null, result);
  }
}
