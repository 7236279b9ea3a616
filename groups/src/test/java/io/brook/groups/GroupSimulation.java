package io.brook.groups;

import io.brook.groups.GroupCoordinatorShard.Outcome;
import io.brook.groups.GroupMessages.CommitOffset;
import io.brook.groups.GroupMessages.DescribeGroupsRequest;
import io.brook.groups.GroupMessages.DescribeGroupsResponse;
import io.brook.groups.GroupMessages.DescribedGroup;
import io.brook.groups.GroupMessages.DescribedMember;
import io.brook.groups.GroupMessages.GroupResponse;
import io.brook.groups.GroupMessages.HeartbeatRequest;
import io.brook.groups.GroupMessages.HeartbeatResponse;
import io.brook.groups.GroupMessages.JoinGroupRequest;
import io.brook.groups.GroupMessages.JoinGroupResponse;
import io.brook.groups.GroupMessages.JoinedMember;
import io.brook.groups.GroupMessages.LeaveGroupRequest;
import io.brook.groups.GroupMessages.LeavingMember;
import io.brook.groups.GroupMessages.OffsetCommitRequest;
import io.brook.groups.GroupMessages.OffsetCommitResponse;
import io.brook.groups.GroupMessages.OffsetFetchRequest;
import io.brook.groups.GroupMessages.OffsetFetchResponse;
import io.brook.groups.GroupMessages.Protocol;
import io.brook.groups.GroupMessages.Reply;
import io.brook.groups.GroupMessages.SyncGroupRequest;
import io.brook.groups.GroupMessages.SyncGroupResponse;
import io.brook.groups.GroupRecords.CoordinatorRecord;
import io.brook.groups.GroupRecords.OffsetCommitKey;
import io.brook.groups.GroupRecords.OffsetCommitValue;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.consumer.internals.AbstractPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * A seeded, deterministic simulation of one consumer group on one coordinator shard. Consumers
 * (some static) speak the classic protocol with real kafka-clients assignors ({@link RangeAssignor},
 * {@link RoundRobinAssignor} eager, {@link CooperativeStickyAssignor} incremental) and
 * {@link ConsumerProtocol} bytes, consume their partitions and commit. Eager consumers give up
 * everything before they join; cooperative ones keep what they own, give up only what the leader
 * moved and then join again, and treat their partitions as lost when they missed a generation.
 * Faults: crashes (found by session expiry), graceful leaves, pauses longer than the session and
 * rebalance timeouts (zombies that must be fenced), static restarts, lost and delayed messages
 * (FIFO per connection, as TCP), appends that fail (the shard reverts), appends whose outcome the
 * owner cannot know (they land or not; the owner drops the shard and replays the log, never
 * reverts), and coordinator moves (the committed records replayed into a fresh shard, in-flight
 * requests lost, a loading period).
 * An offset reset by a tool while the group is empty is the one way an offset may go back; in some
 * runs every consumer stops for longer than the offset retention, so the group's offsets expire and
 * the group is deleted, then comes back (generations start again: owners are kept per incarnation).
 *
 * <p>Checked after every step:
 * <ol>
 *   <li>at most one owner (instance id, else member id) per partition per generation;</li>
 *   <li>a Stable group's stored assignments never overlap, and cover every partition (eager);</li>
 *   <li>cooperative: a partition a member said it owns when it joined generation G is not handed
 *       to another member in G (it is given up first);</li>
 *   <li>a commit is accepted only from the group's current generation;</li>
 *   <li>committed offsets never go back, except by the tool's reset;</li>
 *   <li>with nothing uncommitted, the shard's durable image is the committed log's; at a move the
 *       old shard, reverted to the committed log, equals the fresh one loaded from it.</li>
 * </ol>
 * After the faults stop, every live consumer must be in one Stable generation that owns every
 * partition (liveness). A failure names the seed and prints the trace's tail.
 */
final class GroupSimulation {
  static final String GROUP = "sim-group";
  private static final long STEP_MS = 50;
  private static final int SESSION_MS = 3_000;
  private static final int REBALANCE_MS = 4_000;
  private static final long HEARTBEAT_MS = 500;
  private static final long COMMIT_MS = 400;
  private static final long REQUEST_TIMEOUT_MS = 2_500;

  private final long seed;
  private final Random random;
  /**
   * Decides which appends end ambiguously and whether they land: apart from {@link #random} so
   * that a seed's schedule up to its first ambiguous append is what it was before they were added.
   */
  private final Random ambiguity;
  private final boolean printTrace;
  private final GroupCoordinatorConfig config = new GroupCoordinatorConfig(Map.of(
      GroupCoordinatorConfig.INITIAL_REBALANCE_DELAY_MS_CONFIG, "300",
      GroupCoordinatorConfig.MIN_SESSION_TIMEOUT_MS_CONFIG, "1000",
      // offsets of a group left empty expire after a minute, so tombstones and deleted groups are replayed too
      GroupCoordinatorConfig.OFFSETS_RETENTION_MINUTES_CONFIG, "1",
      GroupCoordinatorConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS_CONFIG, "5000"));
  private final Map<String, Integer> partitionsPerTopic = new TreeMap<>();
  private final List<TopicPartition> allPartitions = new ArrayList<>();
  private final String protocolName;
  private final AbstractPartitionAssignor assignor;
  /** KIP-429: members keep their partitions through a rebalance and give up only those that move. */
  private final boolean cooperative;
  private final List<Consumer> consumers = new ArrayList<>();
  private final PriorityQueue<Delivery> network = new PriorityQueue<>();
  /** Last delivery time per (consumer, direction): messages on one connection stay in order. */
  private final Map<String, Long> channelTail = new HashMap<>();
  private final Deque<Pending> outstanding = new ArrayDeque<>();
  private final List<CoordinatorRecord> log = new ArrayList<>();
  private final SortedMap<String, String> logImage = new TreeMap<>();
  private final Map<TopicPartition, Long> committedOffsets = new HashMap<>();
  private final Set<TopicPartition> resetAllowed = new HashSet<>();
  /** Owners by group incarnation and generation ("2:7"): a deleted group starts again at generation 1. */
  private final Map<String, Map<TopicPartition, String>> ownerOfGeneration = new HashMap<>();
  /** Bumped when the group's metadata tombstone is committed (the group was deleted). */
  private int groupIncarnation;
  /** The group incarnation each released reply belongs to. */
  private final Map<Long, Integer> replyIncarnation = new HashMap<>();
  private final Map<Long, Consumer> requestOwner = new HashMap<>();
  private final Set<Long> answered = new HashSet<>();
  private final Deque<String> trace = new ArrayDeque<>();
  private GroupCoordinatorShard shard;
  private long loadedAtMs = -1;
  private long nowMs;
  private long nextRequestId = 1;
  private int moves;
  private int appendFailures;
  private int ambiguousAppends;
  private int maxGeneration;
  private int nextConsumerId;
  private boolean faults = true;
  private long outageUntilMs;

  /** fails: refused, known not in the log (revert); ambiguous: the owner cannot tell whether it lands. */
  private record Pending(Outcome outcome, long commitAtMs, boolean fails, boolean ambiguous) {}

  private record Delivery(long atMs, long seq, Consumer to, Object payload, long requestId)
      implements Comparable<Delivery> {
    @Override
    public int compareTo(Delivery o) {
      return atMs != o.atMs ? Long.compare(atMs, o.atMs) : Long.compare(seq, o.seq);
    }
  }

  private enum Phase { DOWN, JOINING, SYNCING, STABLE, PAUSED, FENCED }

  private final class Consumer {
    final String name;
    final String instanceId;
    Phase phase = Phase.JOINING;
    Phase beforePause;
    long resumeAtMs;
    long restartAtMs = Long.MAX_VALUE;
    String memberId = "";
    int generation = -1;
    boolean joinSent;
    long joinRequestId = -1;
    long syncRequestId = -1;
    long requestDeadlineMs = Long.MAX_VALUE;
    long nextHeartbeatMs;
    long nextCommitMs;
    long fetchRequestId = -1;
    /** Until then it does not poll (max.poll.interval.ms exceeded): heartbeats and commits go on, rebalances are ignored. */
    long slowUntilMs;
    final int sessionMs;
    final Map<TopicPartition, Long> positions = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
    List<TopicPartition> assigned = List.of();
    /** The group incarnation of its last successful SyncGroup. */
    int incarnation;
    /** The partitions its last JoinGroup said it owns (cooperative). */
    List<TopicPartition> ownedAtJoin = List.of();

    Consumer(String name, String instanceId, int sessionMs) {
      this.name = name;
      this.instanceId = instanceId;
      this.sessionMs = sessionMs;
    }

    String identity() {
      return instanceId != null ? instanceId : memberId;
    }
  }

  GroupSimulation(long seed, boolean printTrace) {
    this.seed = seed;
    this.random = new Random(seed);
    this.ambiguity = new Random(seed * 7_919 + 1);
    this.printTrace = printTrace;
    int topics = 1 + random.nextInt(2);
    for (int t = 0; t < topics; t++) {
      int partitions = 1 + random.nextInt(8);
      partitionsPerTopic.put("topic-" + t, partitions);
      for (int p = 0; p < partitions; p++) {
        allPartitions.add(new TopicPartition("topic-" + t, p));
      }
    }
    switch (random.nextInt(3)) {
      case 0 -> assignor = new RangeAssignor();
      case 1 -> assignor = new RoundRobinAssignor();
      default -> assignor = new CooperativeStickyAssignor();
    }
    protocolName = assignor.name();
    cooperative = assignor instanceof CooperativeStickyAssignor;
    shard = new GroupCoordinatorShard(config, seed);
    shard.onLoaded(0);
    loadedAtMs = 0;
    int count = 2 + random.nextInt(5);
    for (int i = 0; i < count; i++) {
      addConsumer();
    }
  }

  private Consumer addConsumer() {
    int id = nextConsumerId++;
    Consumer c = new Consumer("c" + id, random.nextInt(3) == 0 ? "static-" + id : null,
        random.nextBoolean() ? SESSION_MS : 2 * SESSION_MS);
    c.nextHeartbeatMs = nowMs;
    consumers.add(c);
    return c;
  }

  void run(int steps) {
    try {
      for (int i = 0; i < steps; i++) {
        step();
      }
      faults = false;
      for (Consumer c : consumers) {
        c.slowUntilMs = 0;

        if (c.phase == Phase.PAUSED) {
          c.resumeAtMs = nowMs;
        }
      }
      long healEnd = Math.max(nowMs, outageUntilMs) + 60_000;
      long nextEnforceMs = nowMs + 10_000;
      while (nowMs < healEnd && !settled()) {
        step();
        if (cooperative && nowMs >= nextEnforceMs) {
          nextEnforceMs = nowMs + 10_000;
          enforceRebalanceIfPartitionsAreOrphaned();
        }
      }
      if (!settled()) {
        throw new AssertionError("the group did not settle within 60 s after the faults stopped: " + describeGroup());
      }
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed " + seed + " failed at " + nowMs + " ms: " + e.getMessage() + "\n" + traceTail(), e);
    }
    if (printTrace) {
      System.out.println(String.join("\n", trace));
    }
  }

  int moves() {
    return moves;
  }

  int maxGeneration() {
    return maxGeneration;
  }

  int appendFailures() {
    return appendFailures;
  }

  int ambiguousAppends() {
    return ambiguousAppends;
  }

  long tombstones() {
    return log.stream().filter(r -> r.key() instanceof OffsetCommitKey && r.isTombstone()).count();
  }

  long committedRecords() {
    return log.stream().filter(r -> r.key() instanceof OffsetCommitKey && !r.isTombstone()).count();
  }

  // ---- one step ----

  private void step() {
    nowMs += STEP_MS;
    if (faults) {
      injectFaults();
    }
    if (loadedAtMs < 0 && nowMs >= loadedAtMsPlanned) {
      shard.onLoaded(nowMs);
      loadedAtMs = nowMs;
      note("coordinator loaded");
    }
    for (Outcome o : shard.tick(nowMs)) {
      submit(o);
    }
    processAppends();
    deliverMessages();
    for (Consumer c : new ArrayList<>(consumers)) {
      act(c);
    }
    checkInvariants();
  }

  private long loadedAtMsPlanned;

  private void injectFaults() {
    if (random.nextInt(1000) < 2) {
      moveCoordinator();
    }
    for (Consumer c : new ArrayList<>(consumers)) {
      int roll = random.nextInt(10_000);
      if (c.phase == Phase.DOWN || c.phase == Phase.FENCED) {
        continue;
      }
      if (roll < 8) {
        crash(c);
      } else if (roll < 12) {
        leave(c);
      } else if (roll < 16 && c.phase != Phase.PAUSED) {
        c.beforePause = c.phase;
        c.phase = Phase.PAUSED;
        c.resumeAtMs = nowMs + 1_000 + random.nextInt(8_000);
        note(c.name + " pauses until " + c.resumeAtMs);
      } else if (roll >= 16 && roll < 20 && c.phase == Phase.STABLE) {
        c.slowUntilMs = nowMs + REBALANCE_MS + random.nextInt(4_000);
        note(c.name + " stops polling until " + c.slowUntilMs);
      }
    }
    if (random.nextInt(4_000) == 0 && nowMs >= outageUntilMs) {
      // every consumer stops for longer than offsets.retention.minutes: the group empties, its
      // offsets expire (tombstones), the group is deleted; then they all come back
      outageUntilMs = nowMs + 70_000 + random.nextInt(10_000);
      note("outage: every consumer stops until " + outageUntilMs);
      for (Consumer c : new ArrayList<>(consumers)) {
        if (c.phase != Phase.DOWN && c.phase != Phase.FENCED) {
          crash(c);
        }
        if (c.phase == Phase.DOWN) {
          c.restartAtMs = outageUntilMs + random.nextInt(2_000);
        }
      }
    }
    if (random.nextInt(1000) < 3 && nowMs >= outageUntilMs
        && consumers.stream().filter(c -> c.phase != Phase.DOWN).count() < 8) {
      Consumer c = addConsumer();
      note(c.name + " starts" + (c.instanceId != null ? " (static " + c.instanceId + ")" : ""));
    }
    maybeResetOffsets();
  }

  private void crash(Consumer c) {
    note(c.name + " crashes");
    c.phase = Phase.DOWN;
    c.assigned = List.of();
    c.positions.clear();
    if (c.instanceId != null) {
      c.restartAtMs = nowMs + 500 + random.nextInt(5_000);
    }
  }

  private void leave(Consumer c) {
    note(c.name + " leaves the group");
    if (!c.memberId.isEmpty()) {
      send(c, new LeaveGroupRequest(GROUP, List.of(new LeavingMember(c.memberId, c.instanceId))));
    }
    c.phase = Phase.DOWN;
    c.assigned = List.of();
    c.positions.clear();
    c.restartAtMs = nowMs + 1_000 + random.nextInt(5_000);
  }

  /** A tool resets an offset to 0 while the group has no members: the one allowed way back. */
  private void maybeResetOffsets() {
    if (random.nextInt(1000) >= 5 || shard.isLoading() || shard.groupState(GROUP) != GroupState.EMPTY) {
      return;
    }
    TopicPartition tp = allPartitions.get(random.nextInt(allPartitions.size()));
    long id = nextRequestId++;
    note("tool resets " + tp + " to 0");
    resetAllowed.add(tp);
    submit(shard.commitOffsets(id, new OffsetCommitRequest(GROUP, -1, "", null, Map.of(tp, new CommitOffset(0, -1, "reset"))),
        nowMs));
  }

  private void moveCoordinator() {
    // the in-flight appends never commit: the new leader's log ends at the committed records
    reloadFromLog("coordinator moves");
  }

  /**
   * A fresh shard loads the committed log; the old one, its uncommitted ops reverted, must hold
   * the same durable state. Requests in flight to the old shard are lost.
   */
  private void reloadFromLog(String why) {
    if (!outstanding.isEmpty()) {
      shard.revert(outstanding.peekFirst().outcome().opId());
    }
    outstanding.clear();
    GroupCoordinatorShard fresh = new GroupCoordinatorShard(config, seed * 31 + ++moves);
    for (CoordinatorRecord r : log) {
      fresh.replay(GroupRecordCodec.encodeKey(r.key()), GroupRecordCodec.encodeValue(r.value()));
    }
    if (!shard.durableImage().equals(fresh.durableImage())) {
      throw new AssertionError("state after replay differs from the state before the move:\nbefore "
          + shard.durableImage() + "\nafter  " + fresh.durableImage());
    }
    shard = fresh;
    loadedAtMs = -1;
    loadedAtMsPlanned = nowMs + random.nextInt(500);
    network.removeIf(d -> d.to() == null); // requests in flight to the old coordinator are lost
    note(why + " (" + log.size() + " records replayed)");
  }

  // ---- the coordinator's owner: appends, commit, release ----

  private void submit(Outcome o) {
    boolean fails = faults && !o.records().isEmpty() && random.nextInt(100) < 2;
    long commitAt = o.records().isEmpty() ? nowMs : nowMs + STEP_MS * random.nextInt(4);
    boolean ambiguous = !fails && faults && !o.records().isEmpty() && ambiguity.nextInt(100) == 0;
    outstanding.addLast(new Pending(o, commitAt, fails, ambiguous));
  }

  private void processAppends() {
    while (!outstanding.isEmpty() && outstanding.peekFirst().commitAtMs() <= nowMs) {
      Pending p = outstanding.peekFirst();
      if (p.ambiguous()) {
        onAmbiguousAppend(p);
        return;
      }
      if (p.fails()) {
        appendFailures++;
        shard.revert(p.outcome().opId());
        note("append of op " + p.outcome().opId() + " fails: " + outstanding.size() + " ops undone");
        for (Pending undone : outstanding) {
          for (Reply r : undone.outcome().replies()) {
            release(new Reply(r.requestId(), failure(r.response())));
          }
        }
        outstanding.clear();
        return;
      }
      outstanding.removeFirst();
      for (CoordinatorRecord r : p.outcome().records()) {
        applyCommitted(r);
      }
      shard.onCommitted(p.outcome().opId());
      p.outcome().replies().forEach(this::release);
    }
  }

  /**
   * The append's outcome is unknown to the owner (a timeout, NOT_ENOUGH_REPLICAS_AFTER_APPEND): it
   * lands in the log or not. The owner must not revert (the records may be committed); it answers
   * every outstanding reply NOT_COORDINATOR, drops the shard and replays the committed log.
   */
  private void onAmbiguousAppend(Pending p) {
    ambiguousAppends++;
    boolean lands = ambiguity.nextBoolean();
    for (Pending outstandingOp : outstanding) {
      for (Reply r : outstandingOp.outcome().replies()) {
        release(new Reply(r.requestId(), failure(r.response())));
      }
    }
    note("append of op " + p.outcome().opId() + " ends ambiguously (it " + (lands ? "lands" : "is lost")
        + "): the owner drops the shard");
    if (lands) {
      outstanding.removeFirst();
      p.outcome().records().forEach(this::applyCommitted);
      shard.onCommitted(p.outcome().opId());
    }
    reloadFromLog("coordinator reloads");
  }

  private void applyCommitted(CoordinatorRecord r) {
    log.add(r);
    String key = hex(GroupRecordCodec.encodeKey(r.key()));
    if (r.isTombstone()) {
      logImage.remove(key);
    } else {
      logImage.put(key, hex(GroupRecordCodec.encodeValue(r.value())));
    }
    if (r.key() instanceof OffsetCommitKey k && !r.isTombstone()) {
      TopicPartition tp = new TopicPartition(k.topic(), k.partition());
      long offset = ((OffsetCommitValue) r.value()).offset();
      Long before = committedOffsets.get(tp);
      if (before != null && offset < before && !resetAllowed.remove(tp)) {
        throw new AssertionError("committed offset of " + tp + " went back from " + before + " to " + offset);
      }
      resetAllowed.remove(tp);
      committedOffsets.put(tp, offset);
    } else if (r.key() instanceof OffsetCommitKey k) {
      committedOffsets.remove(new TopicPartition(k.topic(), k.partition()));
    } else if (r.isTombstone()) {
      groupIncarnation++;
    }
  }

  private static GroupResponse failure(GroupResponse r) {
    Errors e = Errors.NOT_COORDINATOR;
    if (r instanceof JoinGroupResponse) {
      return JoinGroupResponse.failed(e, "");
    } else if (r instanceof SyncGroupResponse) {
      return SyncGroupResponse.failed(e);
    } else if (r instanceof HeartbeatResponse) {
      return new HeartbeatResponse(e);
    } else if (r instanceof OffsetCommitResponse oc) {
      Map<TopicPartition, Errors> m = new HashMap<>();
      oc.errors().keySet().forEach(tp -> m.put(tp, e));
      return new OffsetCommitResponse(m);
    } else if (r instanceof OffsetFetchResponse) {
      return new OffsetFetchResponse(e, Map.of());
    }
    return r;
  }

  private void release(Reply reply) {
    if (!answered.add(reply.requestId())) {
      return; // already answered (an error after a failed append): the late copy is dropped, as the owner does
    }
    Consumer to = requestOwner.remove(reply.requestId());
    if (to == null) {
      return; // a tool's request
    }
    replyIncarnation.put(reply.requestId(), groupIncarnation);
    long at = channel(to.name + "<", nowMs + STEP_MS * random.nextInt(3));
    if (faults && random.nextInt(100) == 0) {
      return; // lost
    }
    network.add(new Delivery(at, nextRequestId++, to, reply.response(), reply.requestId()));
  }

  private long channel(String name, long at) {
    long tail = Math.max(at, channelTail.getOrDefault(name, 0L));
    channelTail.put(name, tail);
    return tail;
  }

  // ---- the network ----

  private void send(Consumer from, Object request) {
    long id = nextRequestId++;
    requestOwner.put(id, from);
    long at = channel(from.name + ">", nowMs + STEP_MS * random.nextInt(3));
    if (faults && random.nextInt(100) == 0) {
      note(from.name + " request " + id + " lost");
      return;
    }
    network.add(new Delivery(at, id, null, request, id));
    if (request instanceof JoinGroupRequest) {
      from.joinRequestId = id;
    } else if (request instanceof SyncGroupRequest) {
      from.syncRequestId = id;
    } else if (request instanceof OffsetFetchRequest) {
      from.fetchRequestId = id;
    }
  }

  private void deliverMessages() {
    List<Delivery> later = new ArrayList<>();
    while (!network.isEmpty() && network.peek().atMs() <= nowMs) {
      Delivery d = network.poll();
      if (d.to() == null) {
        submit(handle(d.requestId(), d.payload()));
      } else if (d.to().phase == Phase.PAUSED) {
        later.add(new Delivery(d.to().resumeAtMs, d.seq(), d.to(), d.payload(), d.requestId()));
      } else if (d.to().phase != Phase.DOWN && d.to().phase != Phase.FENCED) {
        onResponse(d.to(), d.requestId(), (GroupResponse) d.payload());
      }
    }
    network.addAll(later);
  }

  private Outcome handle(long id, Object request) {
    if (request instanceof JoinGroupRequest r) {
      return shard.joinGroup(id, r, nowMs);
    } else if (request instanceof SyncGroupRequest r) {
      return shard.syncGroup(id, r, nowMs);
    } else if (request instanceof HeartbeatRequest r) {
      return shard.heartbeat(id, r, nowMs);
    } else if (request instanceof LeaveGroupRequest r) {
      return shard.leaveGroup(id, r, nowMs);
    } else if (request instanceof OffsetCommitRequest r) {
      Outcome o = shard.commitOffsets(id, r, nowMs);
      checkCommitFencing(r, o);
      return o;
    } else {
      return shard.fetchOffsets(id, (OffsetFetchRequest) request, nowMs);
    }
  }

  // ---- the consumers (a classic eager client, as KafkaConsumer's ConsumerCoordinator) ----

  private void act(Consumer c) {
    switch (c.phase) {
      case DOWN -> {
        if (c.restartAtMs <= nowMs) {
          c.restartAtMs = Long.MAX_VALUE;
          if (c.instanceId == null) {
            consumers.remove(c);
            Consumer fresh = addConsumer();
            note(c.name + " comes back as " + fresh.name);
          } else {
            note(c.name + " restarts (static " + c.instanceId + ")");
            resetMembership(c);
            c.phase = Phase.JOINING;
          }
        }
      }
      case PAUSED -> {
        if (c.resumeAtMs <= nowMs) {
          c.phase = c.beforePause;
          note(c.name + " resumes as " + c.phase);
        }
      }
      case JOINING -> {
        if (!c.joinSent || nowMs >= c.requestDeadlineMs) {
          sendJoin(c);
        }
      }
      case SYNCING -> {
        if (nowMs >= c.requestDeadlineMs) {
          sendJoin(c);
        }
      }
      case STABLE -> actStable(c);
      default -> { }
    }
  }

  private void resetMembership(Consumer c) {
    c.memberId = "";
    c.generation = -1;
    c.joinSent = false;
    c.assigned = List.of();
    c.positions.clear();
  }

  private void sendJoin(Consumer c) {
    c.phase = Phase.JOINING;
    c.joinSent = true;
    if (!cooperative) {
      c.assigned = List.of(); // eager: everything is revoked before joining
      c.positions.clear();
    }
    c.requestDeadlineMs = nowMs + REBALANCE_MS + REQUEST_TIMEOUT_MS;
    Subscription s = new Subscription(new ArrayList<>(partitionsPerTopic.keySet()), null, c.assigned, c.generation,
        Optional.empty());
    c.ownedAtJoin = c.assigned;
    note(c.name + " joins as " + (c.memberId.isEmpty() ? "a new member" : c.memberId) + " owning " + c.assigned
        + " (generation " + c.generation + ")");
    byte[] metadata = bytes(ConsumerProtocol.serializeSubscription(s));
    send(c, new JoinGroupRequest(GROUP, c.sessionMs, REBALANCE_MS, c.memberId, c.instanceId, "consumer",
        List.of(new Protocol(protocolName, metadata)), c.name, "/10.0.0." + c.name.substring(1)));
  }

  private void actStable(Consumer c) {
    if (nowMs >= c.nextHeartbeatMs) {
      c.nextHeartbeatMs = nowMs + HEARTBEAT_MS;
      send(c, new HeartbeatRequest(GROUP, c.generation, c.memberId, c.instanceId));
    }
    if (c.fetchRequestId < 0 && c.positions.size() < c.assigned.size()) {
      send(c, new OffsetFetchRequest(GROUP, c.assigned));
      c.requestDeadlineMs = nowMs + REQUEST_TIMEOUT_MS;
    } else if (c.fetchRequestId >= 0 && nowMs >= c.requestDeadlineMs) {
      c.fetchRequestId = -1;
    }
    c.positions.replaceAll((tp, pos) -> pos + 1 + random.nextInt(3)); // consumes
    if (nowMs >= c.nextCommitMs && !c.positions.isEmpty()) {
      c.nextCommitMs = nowMs + COMMIT_MS;
      Map<TopicPartition, CommitOffset> offsets = new HashMap<>();
      c.positions.forEach((tp, pos) -> offsets.put(tp, new CommitOffset(pos, 0, "")));
      send(c, new OffsetCommitRequest(GROUP, c.generation, c.memberId, c.instanceId, offsets));
    }
  }

  private void onResponse(Consumer c, long requestId, GroupResponse response) {
    if (response instanceof JoinGroupResponse r && requestId == c.joinRequestId) {
      onJoin(c, r);
    } else if (response instanceof SyncGroupResponse r && requestId == c.syncRequestId) {
      c.incarnation = replyIncarnation.getOrDefault(requestId, groupIncarnation);
      onSync(c, r);
    } else if (response instanceof HeartbeatResponse r) {
      onError(c, r.error());
    } else if (response instanceof OffsetCommitResponse r) {
      r.errors().values().stream().filter(e -> e != Errors.NONE).findFirst().ifPresent(e -> onError(c, e));
    } else if (response instanceof OffsetFetchResponse r && requestId == c.fetchRequestId) {
      c.fetchRequestId = -1;
      if (r.error() == Errors.NONE && c.phase == Phase.STABLE) {
        for (TopicPartition tp : c.assigned) {
          GroupMessages.FetchedOffset f = r.offsets().get(tp);
          c.positions.putIfAbsent(tp, f == null || f.offset() < 0 ? 0 : f.offset());
        }
      }
    }
  }

  /** Kafka's ConsumerCoordinator reaction to an error of a heartbeat or commit. */
  private void onError(Consumer c, Errors e) {
    if (c.phase != Phase.STABLE || nowMs < c.slowUntilMs) {
      return;
    }
    switch (e) {
      case NONE, NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, OFFSET_METADATA_TOO_LARGE -> { }
      case FENCED_INSTANCE_ID -> fence(c);
      case UNKNOWN_MEMBER_ID -> {
        resetMembership(c);
        c.phase = Phase.JOINING;
      }
      case ILLEGAL_GENERATION -> {
        // the generation is gone: its partitions are lost (onPartitionsLost), the member id is kept
        c.generation = -1;
        c.assigned = List.of();
        c.positions.clear();
        sendJoin(c);
      }
      default -> sendJoin(c); // REBALANCE_IN_PROGRESS: a cooperative member keeps its partitions meanwhile
    }
  }

  private void fence(Consumer c) {
    note(c.name + " is fenced (FENCED_INSTANCE_ID) and stops");
    c.phase = Phase.FENCED;
    c.assigned = List.of();
    c.positions.clear();
  }

  private void onJoin(Consumer c, JoinGroupResponse r) {
    c.joinRequestId = -1;
    switch (r.error()) {
      case NONE -> {
        if (cooperative && r.generationId() > c.generation + 1 && !c.assigned.isEmpty()) {
          // it missed a generation, in which its partitions may have been someone else's: they are
          // lost, not kept (positions come back from the committed offsets; KIP-792's rule)
          note(c.name + " missed generations " + (c.generation + 1) + ".." + (r.generationId() - 1) + ": loses " + c.assigned);
          c.assigned = List.of();
          c.positions.clear();
        }
        c.memberId = r.memberId();
        c.generation = r.generationId();
        c.phase = Phase.SYNCING;
        note(c.name + " joined generation " + c.generation + (r.leader().equals(r.memberId()) ? " as leader of "
            + r.members().stream().map(JoinedMember::memberId).toList() : ""));
        c.requestDeadlineMs = nowMs + REBALANCE_MS + REQUEST_TIMEOUT_MS;
        Map<String, byte[]> assignments = Map.of();
        if (r.leader().equals(r.memberId()) && !r.skipAssignment()) {
          assignments = assign(r.members());
        }
        send(c, new SyncGroupRequest(GROUP, c.generation, c.memberId, c.instanceId, "consumer", protocolName, assignments));
      }
      case MEMBER_ID_REQUIRED -> {
        c.memberId = r.memberId();
        sendJoin(c);
      }
      case UNKNOWN_MEMBER_ID -> {
        resetMembership(c);
        sendJoin(c);
      }
      case FENCED_INSTANCE_ID -> fence(c);
      default -> c.requestDeadlineMs = nowMs + 200; // retry after a back-off
    }
  }

  private Map<String, byte[]> assign(List<JoinedMember> members) {
    Map<String, Subscription> subscriptions = new HashMap<>();
    for (JoinedMember m : members) {
      Subscription s = ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(m.metadata()));
      s.setGroupInstanceId(Optional.ofNullable(m.groupInstanceId()));
      subscriptions.put(m.memberId(), s);
    }
    Map<String, List<PartitionInfo>> partitions = new TreeMap<>();
    partitionsPerTopic.forEach((topic, count) -> {
      List<PartitionInfo> infos = new ArrayList<>();
      for (int p = 0; p < count; p++) {
        infos.add(new PartitionInfo(topic, p, null, null, null));
      }
      partitions.put(topic, infos);
    });
    Map<String, List<TopicPartition>> plan = assignor.assignPartitions(partitions, subscriptions);
    Map<String, byte[]> out = new HashMap<>();
    plan.forEach((member, tps) -> out.put(member, bytes(ConsumerProtocol.serializeAssignment(new Assignment(tps)))));
    return out;
  }

  private void onSync(Consumer c, SyncGroupResponse r) {
    c.syncRequestId = -1;
    switch (r.error()) {
      case NONE -> {
        List<TopicPartition> tps = ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(r.assignment())).partitions();
        Map<TopicPartition, String> owners = ownerOfGeneration.computeIfAbsent(c.incarnation + ":" + c.generation,
            g -> new HashMap<>());
        for (TopicPartition tp : tps) {
          String previous = owners.putIfAbsent(tp, c.identity());
          if (previous != null && !previous.equals(c.identity())) {
            throw new AssertionError(tp + " owned by " + previous + " and " + c.identity() + " in generation " + c.generation);
          }
        }
        maxGeneration = Math.max(maxGeneration, c.generation);
        if (cooperative) {
          checkNoPartitionTakenFromAMemberThatKeepsIt(c, tps);
        }
        // revoked: what it said it owns (or still holds) and is not given again; the leader took it
        // away for someone else, who gets it in the follow-up rebalance
        Set<TopicPartition> revokedSet = new HashSet<>(c.assigned);
        revokedSet.addAll(c.ownedAtJoin);
        tps.forEach(revokedSet::remove);
        List<TopicPartition> revoked = new ArrayList<>(revokedSet);
        revoked.sort(java.util.Comparator.comparing(TopicPartition::toString));
        c.positions.keySet().retainAll(tps); // cooperative: what it keeps, it goes on consuming from where it is
        c.assigned = tps;
        c.fetchRequestId = -1;
        c.phase = Phase.STABLE;
        c.nextHeartbeatMs = nowMs + HEARTBEAT_MS;
        note(c.name + " (" + c.identity() + ") owns " + tps + " in generation " + c.generation
            + (revoked.isEmpty() ? "" : ", gives up " + revoked));
        if (cooperative && !revoked.isEmpty()) {
          sendJoin(c); // KIP-429: after giving partitions up, a second rebalance hands them to their new owner
        }
      }
      case FENCED_INSTANCE_ID -> fence(c);
      case UNKNOWN_MEMBER_ID -> {
        resetMembership(c);
        sendJoin(c);
      }
      default -> sendJoin(c);
    }
  }

  // ---- invariants ----

  /**
   * A commit the shard accepts from a member must come from the group's current generation, for
   * partitions that member owns in it (a zombie of an older generation, or a fenced static
   * incarnation, is refused).
   */
  private void checkCommitFencing(OffsetCommitRequest req, Outcome outcome) {
    if (req.generationId() < 0) {
      return;
    }
    OffsetCommitResponse r = (OffsetCommitResponse) outcome.replies().get(0).response();
    String identity = req.groupInstanceId() != null ? req.groupInstanceId() : req.memberId();
    Map<TopicPartition, String> owners = ownerOfGeneration.getOrDefault(groupIncarnation + ":" + req.generationId(),
        Map.of());
    r.errors().forEach((tp, e) -> {
      if (e == Errors.NONE && (shard.generationId(GROUP) != req.generationId() || !identity.equals(owners.get(tp)))) {
        throw new AssertionError("commit of " + tp + " accepted from " + identity + " in generation "
            + req.generationId() + "; the group is in " + shard.generationId(GROUP) + ", the owner is " + owners.get(tp));
      }
    });
  }

  /**
   * Cooperative (KIP-429): a partition that a member of generation G said it owns when it joined G
   * is never handed straight to another member in G; it must be given up first.
   */
  private void checkNoPartitionTakenFromAMemberThatKeepsIt(Consumer c, List<TopicPartition> tps) {
    if (shard.isLoading()) {
      return;
    }
    Set<String> members = new HashSet<>();
    describeGroup().members().forEach(m -> members.add(m.memberId()));
    for (Consumer o : consumers) {
      if (o == c || o.phase != Phase.SYNCING || o.generation != c.generation || !members.contains(o.memberId)) {
        continue;
      }
      for (TopicPartition tp : tps) {
        if (!c.assigned.contains(tp) && o.ownedAtJoin.contains(tp) && o.assigned.contains(tp)) {
          throw new AssertionError(tp + " given to " + c.identity() + " in generation " + c.generation + " while "
              + o.identity() + " joined that generation owning it");
        }
      }
    }
  }

  private void checkInvariants() {
    if (shard.isLoading()) {
      return;
    }
    if (shard.nextDeadlineMs() > shard.nextDeadlineMsByScan()) {
      throw new AssertionError("the deadline index says " + shard.nextDeadlineMs() + ", a deadline is due at "
          + shard.nextDeadlineMsByScan());
    }
    if (shard.groupState(GROUP) == GroupState.STABLE) {
      DescribedGroup g = describeGroup();
      Set<TopicPartition> seen = new HashSet<>();
      for (DescribedMember m : g.members()) {
        if (m.assignment().length == 0) {
          continue;
        }
        for (TopicPartition tp : ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(m.assignment())).partitions()) {
          if (!seen.add(tp)) {
            throw new AssertionError(tp + " assigned twice in the stable group " + g);
          }
        }
      }
      // cooperative: partitions on their way to a new owner are nobody's until the follow-up rebalance
      if (!cooperative && !seen.equals(new HashSet<>(allPartitions))) {
        throw new AssertionError("the stable group owns " + new TreeSet<>(seen.stream().map(Object::toString).toList())
            + " of " + allPartitions);
      }
    }
    if (outstanding.isEmpty() && shard.uncommittedOps() == 0 && !shard.durableImage().equals(logImage)) {
      throw new AssertionError("the shard's durable state is not the committed log's:\nshard " + shard.durableImage()
          + "\nlog   " + logImage);
    }
  }

  /**
   * KafkaConsumer.enforceRebalance() by one member when a Stable cooperative group leaves partitions
   * unassigned: a static member that restarts while it is giving a partition up never asks for the
   * follow-up rebalance (its new incarnation owns nothing to give up, and a static rejoin does not
   * rebalance), so that partition waits for the next rebalance. As far as we can tell Kafka's
   * classic protocol has the same corner; this stands for whatever causes the next rebalance.
   */
  private void enforceRebalanceIfPartitionsAreOrphaned() {
    if (shard.isLoading() || shard.groupState(GROUP) != GroupState.STABLE) {
      return;
    }
    Set<TopicPartition> assigned = new HashSet<>();
    for (DescribedMember m : describeGroup().members()) {
      if (m.assignment().length > 0) {
        assigned.addAll(ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(m.assignment())).partitions());
      }
    }
    if (!assigned.containsAll(allPartitions)) {
      consumers.stream().filter(c -> c.phase == Phase.STABLE).findFirst().ifPresent(c -> {
        note(c.name + " enforces a rebalance: partitions are unassigned");
        sendJoin(c);
      });
    }
  }

  private boolean settled() {
    if (shard.isLoading() || !outstanding.isEmpty()) {
      return false;
    }
    if (consumers.stream().anyMatch(c -> c.phase == Phase.DOWN && c.restartAtMs <= outageUntilMs + 2_000
        && c.restartAtMs != Long.MAX_VALUE)) {
      return false; // an outage is not over
    }
    if (consumers.stream().allMatch(c -> c.phase == Phase.DOWN || c.phase == Phase.FENCED)) {
      GroupState state = shard.groupState(GROUP); // everyone is gone, and the coordinator knows it
      return state == GroupState.EMPTY || state == GroupState.DEAD;
    }
    if (shard.groupState(GROUP) != GroupState.STABLE) {
      return false;
    }
    int generation = shard.generationId(GROUP);
    Set<TopicPartition> owned = new HashSet<>();
    Set<String> live = new HashSet<>();
    for (Consumer c : consumers) {
      if (c.phase == Phase.DOWN || c.phase == Phase.FENCED) {
        continue;
      }
      if (c.phase != Phase.STABLE || c.generation != generation) {
        return false;
      }
      live.add(c.memberId);
      owned.addAll(c.assigned);
    }
    Set<String> members = new HashSet<>();
    describeGroup().members().forEach(m -> members.add(m.memberId()));
    return members.equals(live) && (live.isEmpty() || owned.equals(new HashSet<>(allPartitions)));
  }

  private DescribedGroup describeGroup() {
    Outcome o = shard.describeGroups(0, new DescribeGroupsRequest(List.of(GROUP)), nowMs);
    return ((DescribeGroupsResponse) o.replies().get(0).response()).groups().get(0);
  }

  private void note(String event) {
    trace.addLast(nowMs + " ms: " + event);
    if (!printTrace && trace.size() > 60) {
      trace.removeFirst();
    }
  }

  private String traceTail() {
    return String.join("\n", trace);
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }

  private static String hex(ByteBuffer b) {
    return HexFormat.of().formatHex(bytes(b));
  }
}
