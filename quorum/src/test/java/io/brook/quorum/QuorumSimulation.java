package io.brook.quorum;

import io.brook.quorum.Outbound.SendBeginEpoch;
import io.brook.quorum.Outbound.SendFetch;
import io.brook.quorum.Outbound.SendVote;
import io.brook.quorum.QuorumMessages.QuorumBeginEpoch;
import io.brook.quorum.QuorumMessages.QuorumFetchRequest;
import io.brook.quorum.QuorumMessages.QuorumFetchResponse;
import io.brook.quorum.QuorumMessages.QuorumVoteRequest;
import io.brook.quorum.QuorumMessages.QuorumVoteResponse;
import io.brook.quorum.QuorumReplica.FetchVerdict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * A seeded, deterministic simulation of the metadata quorum: replicas on a simulated network that
 * drops, delays, reorders and duplicates messages, with crashes (the log and the vote survive),
 * restarts in any order, pauses longer than every timeout, network splits, and voters added and
 * removed one at a time by the leader, as the controller does. After every step it checks Raft's
 * safety properties:
 * <ol>
 *   <li>at most one leader per epoch;</li>
 *   <li>a replica's log below its high watermark is the committed log (entries never change or
 *       vanish once committed), and its high watermark never goes back;</li>
 *   <li>a new leader's log holds every committed entry (a stale replica never leads);</li>
 *   <li>every append a leader acknowledged (committed while it led) is in the committed log at its
 *       offset.</li>
 * </ol>
 * At the end every fault is healed and a leader must be elected and commit within a bound
 * (liveness). A failure names the seed.
 */
final class QuorumSimulation {
  private static final long STEP_MS = 10;
  private static final int BASE_LOSS_PERCENT = 2;
  private static final String CLUSTER = "simcluster-000000000A";

  private final long seed;
  private final Random random;
  private final QuorumConfig config = new QuorumConfig(Map.of(
      QuorumConfig.FETCH_TIMEOUT_MS_CONFIG, "1000", QuorumConfig.ELECTION_TIMEOUT_MS_CONFIG, "400",
      QuorumConfig.ELECTION_BACKOFF_MAX_MS_CONFIG, "300", QuorumConfig.FETCH_MAX_WAIT_MS_CONFIG, "200",
      QuorumConfig.FETCH_MAX_BYTES_CONFIG, "2048"));
  private final int targetVoters;
  private final Node[] nodes;
  private final PriorityQueue<Delivery> network = new PriorityQueue<>();
  private final Map<Integer, Integer> leaderOfEpoch = new HashMap<>();
  private final List<String> committed = new ArrayList<>();
  /** The epoch of the leader that committed each entry (Raft: a leader of any later epoch must hold it). */
  private final List<Integer> committedInEpoch = new ArrayList<>();
  private final List<Ack> acked = new ArrayList<>();
  private final List<Pending> pending = new ArrayList<>();
  private final StringBuilder trace = new StringBuilder();
  private long nowMs;
  private long sequence;
  private int values;
  private long healAtMs = -1;
  /** Percent of messages lost; raised for a while by a lossy-links fault. */
  private int lossPercent = BASE_LOSS_PERCENT;
  private long lossyUntilMs = -1;
  private boolean faults = true;
  private boolean wiped;

  /** Which side of a split each node is on (all 0: no split). */
  private final int[] side;

  private record Ack(long offset, String value) {}

  private record Pending(int node, int incarnation, int epoch, long offset, String value) {}

  private final class Node {
    final int id;
    ReplicaKey key;
    InMemoryQuorumLog log = new InMemoryQuorumLog();
    ElectionStateStore.InMemory store = new ElectionStateStore.InMemory();
    QuorumReplica replica;
    int incarnation;
    long pausedUntilMs = -1;
    long lastHighWatermark;
    Role lastRole;
    int lastEpoch;
    long fetchDeadlineMs = Long.MAX_VALUE;
    long fetchId = -1;
    final List<Parked> parked = new ArrayList<>();

    Node(int id) {
      this.id = id;
      this.key = new ReplicaKey(id, new org.apache.kafka.common.Uuid(42, id).toString());
    }

    boolean up() {
      return replica != null;
    }

    boolean running() {
      return replica != null && nowMs >= pausedUntilMs;
    }
  }

  private record Parked(int from, long fetchId, QuorumFetchRequest request, long deadlineMs) {}

  private record Delivery(long atMs, long seq, int from, int to, int incarnation, Object payload)
      implements Comparable<Delivery> {
    @Override
    public int compareTo(Delivery other) {
      return atMs != other.atMs ? Long.compare(atMs, other.atMs) : Long.compare(seq, other.seq);
    }
  }

  /** A fetch or vote answer, routed back to the requester's incarnation; {@code fetchId} for fetches. */
  private record Reply(long fetchId, Object response) {}

  private record Fetch(long fetchId, QuorumFetchRequest request) {}

  QuorumSimulation(long seed, int nodeCount, int targetVoters) {
    this.seed = seed;
    this.random = new Random(seed);
    this.targetVoters = targetVoters;
    this.nodes = new Node[nodeCount + 1];
    this.side = new int[nodeCount + 1];
    for (int id = 1; id <= nodeCount; id++) {
      nodes[id] = new Node(id);
    }
  }

  /** Runs {@code steps} steps with faults, then heals everything and checks liveness. */
  void run(int steps) {
    try {
      for (int id = 1; id < nodes.length; id++) {
        start(nodes[id]);
      }
      nodes[1].replica.bootstrap(CLUSTER, nowMs);
      for (int id = 2; id < nodes.length; id++) {
        nodes[id].replica.joinCluster(CLUSTER);
      }
      for (int i = 0; i < steps; i++) {
        injectFaults();
        step();
      }
      healEverything();
      faults = false;
      long deadline = nowMs + 30_000;
      String value = null;
      while (nowMs < deadline) {
        step();
        if (value == null || (!isAcked(value) && !isPending(value))) {
          value = appendOnLeader(); // none yet, or its leader lost office before committing it
        }
        if (value != null && isAcked(value) && allCaughtUp() && allFollowOneLeader()) {
          break;
        }
      }
      if (value == null || !isAcked(value)) {
        fail("no leader committed within 30 s after every fault healed");
      }
      check(allCaughtUp() && allFollowOneLeader(),
          "not every replica follows the leader and has its commits 30 s after every fault healed");
      checkAll(true);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("quorum simulation failed, seed " + seed + " (rerun with -Dbrook.quorum.sim.seed="
          + seed + "): " + e.getMessage() + "\nreplicas:\n" + replicas() + "last events:\n" + tail(), e);
    }
  }

  // ---- one step of simulated time ----

  private void step() {
    nowMs += STEP_MS;
    if (healAtMs >= 0 && nowMs >= healAtMs) {
      java.util.Arrays.fill(side, 0);
      healAtMs = -1;
      log("network healed");
    }
    if (lossyUntilMs >= 0 && nowMs >= lossyUntilMs) {
      lossPercent = BASE_LOSS_PERCENT;
      lossyUntilMs = -1;
      log("links no longer lossy");
    }
    while (!network.isEmpty() && network.peek().atMs() <= nowMs) {
      deliver(network.poll());
    }
    for (int id = 1; id < nodes.length; id++) {
      Node node = nodes[id];
      if (node.running()) {
        node.replica.tick(nowMs);
        if (nowMs >= node.fetchDeadlineMs) {
          node.fetchDeadlineMs = Long.MAX_VALUE;
          node.replica.onFetchFailed(node.fetchId, nowMs);
        }
        flush(node);
        serveParked(node);
        announce(node);
        maybeChangeVoters(node);
        observe(node);
      }
    }
    if (faults && random.nextInt(100) < 20) {
      appendOnLeader();
    }
    settlePending();
    checkOneActingLeader();
  }

  /** The controller acts only while {@link QuorumReplica#mayAct}: never two at once. */
  private void checkOneActingLeader() {
    int acting = -1;
    for (int id = 1; id < nodes.length; id++) {
      Node node = nodes[id];
      if (node.running() && node.replica.mayAct(nowMs)) {
        check(acting < 0, "nodes " + acting + " and " + id + " may both act as leader");
        acting = id;
      }
    }
  }

  private void deliver(Delivery delivery) {
    Node to = nodes[delivery.to()];
    if (!to.up() || to.incarnation != delivery.incarnation()) {
      return; // a crash loses the messages in flight to it (its connections are gone)
    }
    if (!to.running()) {
      network.add(new Delivery(to.pausedUntilMs, sequence++, delivery.from(), delivery.to(), delivery.incarnation(),
          delivery.payload())); // a paused process reads its socket when it wakes
      return;
    }
    if (side[delivery.from()] != side[delivery.to()]) {
      return; // split: the packet is lost
    }
    Object payload = delivery.payload();
    QuorumReplica replica = to.replica;
    if (payload instanceof QuorumVoteRequest request) {
      reply(to, delivery.from(), -1, replica.handleVote(request, nowMs));
    } else if (payload instanceof Fetch fetch) {
      FetchVerdict verdict = replica.handleFetch(fetch.request(), nowMs);
      if (verdict instanceof FetchVerdict.Answer answer) {
        reply(to, delivery.from(), fetch.fetchId(), answer.response());
      } else {
        to.parked.add(new Parked(delivery.from(), fetch.fetchId(), fetch.request(), nowMs + fetch.request().maxWaitMs()));
      }
    } else if (payload instanceof QuorumBeginEpoch begin) {
      replica.handleBeginEpoch(begin, nowMs);
    } else if (payload instanceof Reply reply && reply.response() instanceof QuorumVoteResponse response) {
      replica.onVoteResponse(delivery.from(), response, nowMs);
    } else if (payload instanceof Reply reply && reply.response() instanceof QuorumFetchResponse response) {
      if (reply.fetchId() == to.fetchId) {
        to.fetchDeadlineMs = Long.MAX_VALUE;
      }
      replica.onFetchResponse(delivery.from(), reply.fetchId(), response, nowMs);
    }
    flush(to);
    observe(to);
  }

  /** A parked fetch is answered when the log or high watermark moved, or at its deadline. */
  private void serveParked(Node node) {
    for (Iterator<Parked> it = node.parked.iterator(); it.hasNext(); ) {
      Parked parked = it.next();
      QuorumFetchRequest request = nowMs >= parked.deadlineMs() ? withKnownHighWatermark(parked.request(), -1) : parked.request();
      FetchVerdict verdict = node.replica.handleFetch(request, nowMs);
      if (verdict instanceof FetchVerdict.Answer answer) {
        it.remove();
        reply(node, parked.from(), parked.fetchId(), answer.response());
      }
    }
  }

  private static QuorumFetchRequest withKnownHighWatermark(QuorumFetchRequest r, long highWatermark) {
    return new QuorumFetchRequest(r.clusterId(), r.replicaId(), r.directoryId(), r.epoch(), r.fetchOffset(),
        r.lastFetchedEpoch(), highWatermark, r.maxBytes(), r.maxWaitMs(), r.lastResponseSentMs());
  }

  private void flush(Node node) {
    for (Outbound out : node.replica.drainOutbox()) {
      if (out instanceof SendFetch fetch) {
        node.fetchDeadlineMs = nowMs + config.requestTimeoutMs();
        node.fetchId = fetch.fetchId();
      }
      Object payload = out instanceof SendVote vote ? vote.request()
          : out instanceof SendFetch fetch ? new Fetch(fetch.fetchId(), fetch.request()) : ((SendBeginEpoch) out).message();
      if (out.to() > 0 && out.to() < nodes.length) {
        send(node.id, out.to(), nodes[out.to()].incarnation, payload);
      }
    }
  }

  private void reply(Node from, int to, long fetchId, Object response) {
    Object copied = response instanceof QuorumFetchResponse f ? copy(f) : response;
    send(from.id, to, nodes[to].incarnation, new Reply(fetchId, copied));
  }

  private void send(int from, int to, int incarnation, Object payload) {
    if (to <= 0 || to >= nodes.length || random.nextInt(100) < lossPercent) {
      return; // lost
    }
    long delay = 1 + random.nextInt(random.nextInt(100) < 5 ? 300 : 20); // some arrive late: reordering
    network.add(new Delivery(nowMs + delay, sequence++, from, to, incarnation, payload));
    if (random.nextInt(100) < 1) {
      network.add(new Delivery(nowMs + delay + random.nextInt(50), sequence++, from, to, incarnation, payload));
    }
  }

  private static QuorumFetchResponse copy(QuorumFetchResponse f) {
    ByteBuffer records = ByteBuffer.allocate(f.records().remaining());
    records.put(f.records().duplicate()).flip();
    return new QuorumFetchResponse(f.errorCode(), f.epoch(), f.leaderId(), f.highWatermark(), f.divergingEpoch(),
        f.divergingEndOffset(), records, f.sentAtMs());
  }

  /** A leader repeats its epoch to everyone every second (the broker's announcement). */
  private void announce(Node node) {
    if (node.replica.role() == Role.LEADER && nowMs % 1000 == 0) {
      for (int id = 1; id < nodes.length; id++) {
        if (id != node.id) {
          send(node.id, id, nodes[id].incarnation, new QuorumBeginEpoch(CLUSTER, node.replica.epoch(), node.id));
        }
      }
    }
  }

  /** The controller's policy: add caught-up observers up to the target; now and then take one out and back. */
  private void maybeChangeVoters(Node node) {
    QuorumReplica replica = node.replica;
    if (!replica.canChangeVoters()) {
      return;
    }
    VoterSet voters = replica.voters().orElseThrow();
    for (ReplicaKey voter : voters.keys()) {
      var replacement = replica.caughtUpObserver(voter.id(), nowMs);
      if (replacement.isPresent() && voters.size() > 1) {
        replica.appendVoters(voters.without(voter.id()), replica.epoch(), nowMs); // its disk was replaced
        log("node " + node.id + " removes voter " + voter + " for " + replacement.get());
        return;
      }
    }
    if (voters.size() < targetVoters) {
      for (int id = 1; id < nodes.length; id++) {
        var observer = replica.caughtUpObserver(id, nowMs);
        if (observer.isPresent()) {
          replica.appendVoters(voters.with(observer.get()), replica.epoch(), nowMs);
          log("node " + node.id + " adds voter " + id + " -> " + replica.voters().orElseThrow());
          return;
        }
      }
    } else if (faults && !wiped && voters.size() > 1 && random.nextInt(1000) < 3) {
      List<Integer> ids = new ArrayList<>(voters.ids());
      int victim = ids.get(random.nextInt(ids.size()));
      replica.appendVoters(voters.without(victim), replica.epoch(), nowMs);
      log("node " + node.id + " removes voter " + victim);
    }
  }

  private String appendOnLeader() {
    for (int id = 1; id < nodes.length; id++) {
      Node node = nodes[id];
      if (node.running() && node.replica.role() == Role.LEADER) {
        String value = "v" + (++values);
        MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
            new SimpleRecord(value.getBytes(StandardCharsets.UTF_8)));
        long offset = node.replica.appendAsLeader(records, node.replica.epoch());
        pending.add(new Pending(id, node.incarnation, node.replica.epoch(), offset, value));
        observe(node);
        return value;
      }
    }
    return null;
  }

  /** An append is acknowledged when its leader, still leading in the same life and epoch, has committed it. */
  private void settlePending() {
    for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      Node node = nodes[p.node()];
      boolean sameLeader = node.up() && node.incarnation == p.incarnation() && node.replica.role() == Role.LEADER
          && node.replica.epoch() == p.epoch();
      if (!sameLeader) {
        it.remove();
      } else if (node.replica.highWatermark() > p.offset()) {
        it.remove();
        acked.add(new Ack(p.offset(), p.value()));
        check(committed.size() > p.offset() && committed.get((int) p.offset()).endsWith(":" + p.value()),
            "acknowledged " + p.value() + " at " + p.offset() + " is not the committed entry");
      }
    }
  }

  private boolean isPending(String value) {
    return pending.stream().anyMatch(p -> p.value().equals(value));
  }

  private boolean isAcked(String value) {
    return acked.stream().anyMatch(a -> a.value().equals(value));
  }

  // ---- faults ----

  private void injectFaults() {
    int roll = random.nextInt(10_000);
    Node node = nodes[1 + random.nextInt(nodes.length - 1)];
    if (roll < 30 && node.up()) {
      crash(node);
    } else if (roll < 250 && !node.up()) {
      start(node);
    } else if (roll < 270 && node.up()) {
      node.pausedUntilMs = nowMs + 100 + random.nextInt(4_000); // up to 4 s: longer than every timeout
      log("pause node " + node.id + " until " + node.pausedUntilMs);
    } else if (roll < 290 && healAtMs < 0) {
      for (int id = 1; id < nodes.length; id++) {
        side[id] = random.nextInt(2);
      }
      healAtMs = nowMs + 200 + random.nextInt(5_000);
      log("split " + java.util.Arrays.toString(side) + " until " + healAtMs);
    } else if (roll < 293) {
      crashAll(); // a full-cluster crash; restarts come one by one, in random order
    } else if (roll < 295 && !wiped && node.up() && everyViewHasThreeVoters()) {
      wipe(node);
    } else if (roll < 300 && lossyUntilMs < 0) {
      lossPercent = 10 + random.nextInt(31);
      lossyUntilMs = nowMs + 1_000 + random.nextInt(20_000); // the netns test's 20 % for 20 s, and more
      log("links lose " + lossPercent + "% until " + lossyUntilMs);
    }
  }

  private void crash(Node node) {
    node.replica = null;
    node.parked.clear();
    node.pausedUntilMs = -1;
    node.fetchDeadlineMs = Long.MAX_VALUE;
    log("crash node " + node.id);
  }

  /** A wipe must leave a majority of every voter set that may be in force with its disk (Raft's premise). */
  private boolean everyViewHasThreeVoters() {
    for (int id = 1; id < nodes.length; id++) {
      VoterHistory history = new VoterHistory();
      ControlRecords.votersIn(nodes[id].log.read(0, Integer.MAX_VALUE)).forEach(v -> history.add(v.offset(), v.voters()));
      if (history.latest().map(v -> v.size() < 3).orElse(false)) {
        return false;
      }
    }
    return true;
  }

  /** The node's disk is replaced: empty log, no vote, a new directory id; it must not vote as the voter it was. */
  private void wipe(Node node) {
    wiped = true;
    crash(node);
    node.log = new InMemoryQuorumLog();
    node.store = new ElectionStateStore.InMemory();
    node.key = new ReplicaKey(node.id, new org.apache.kafka.common.Uuid(43, node.id).toString());
    log("wipe node " + node.id + " (new directory " + node.key.directoryId() + ")");
  }

  private void crashAll() {
    for (int id = 1; id < nodes.length; id++) {
      if (nodes[id].up()) {
        crash(nodes[id]);
      }
    }
  }

  private void start(Node node) {
    node.incarnation++;
    VoterHistory history = new VoterHistory();
    ControlRecords.votersIn(node.log.read(0, Integer.MAX_VALUE - 65 * 1024))
        .forEach(v -> history.add(v.offset(), v.voters()));
    String cluster = node.incarnation > 1 ? CLUSTER : null; // the first start founds (node 1) or joins
    node.replica = new QuorumReplica(node.key, cluster, config, node.log, node.store, history,
        new Random(random.nextLong()), nowMs);
    node.lastHighWatermark = 0;
    node.lastRole = null;
    log("start node " + node.id + " (log end " + node.log.endOffset() + ", epoch " + node.store.read().epoch() + ")");
  }

  private void healEverything() {
    java.util.Arrays.fill(side, 0);
    healAtMs = -1;
    lossPercent = BASE_LOSS_PERCENT;
    lossyUntilMs = -1;
    for (int id = 1; id < nodes.length; id++) {
      Node node = nodes[id];
      if (!node.up()) {
        start(node);
        node.replica.joinCluster(CLUSTER);
      }
      node.pausedUntilMs = -1;
    }
    log("healed everything");
  }

  // ---- invariants ----

  private void observe(Node node) {
    QuorumReplica replica = node.replica;
    if (replica == null) {
      return;
    }
    if (replica.role() == Role.LEADER && (node.lastRole != Role.LEADER || node.lastEpoch != replica.epoch())) {
      Integer previous = leaderOfEpoch.putIfAbsent(replica.epoch(), node.id);
      check(previous == null || previous == node.id,
          "two leaders in epoch " + replica.epoch() + ": " + previous + " and " + node.id);
      log("node " + node.id + " leads epoch " + replica.epoch() + " (log end " + node.log.endOffset() + ")");
      int committedBefore = 0;
      while (committedBefore < committed.size() && committedInEpoch.get(committedBefore) < replica.epoch()) {
        committedBefore++;
      }
      checkHoldsCommitted(node, committedBefore, "new leader");
    }
    node.lastRole = replica.role();
    node.lastEpoch = replica.epoch();
    long hw = replica.highWatermark();
    check(hw >= node.lastHighWatermark, "node " + node.id + " high watermark went back " + node.lastHighWatermark + " -> " + hw);
    check(hw <= node.log.endOffset(), "node " + node.id + " high watermark " + hw + " beyond its log end");
    List<String> entries = node.log.entries();
    for (long offset = node.lastHighWatermark; offset < hw; offset++) {
      String entry = entries.get((int) offset);
      if (offset < committed.size()) {
        check(committed.get((int) offset).equals(entry), "node " + node.id + " committed " + entry + " at " + offset
            + " but the committed entry is " + committed.get((int) offset));
      } else {
        check(offset == committed.size(), "gap in the committed log");
        check(replica.role() == Role.LEADER, "node " + node.id + " learned of a commit before any leader made it");
        committed.add(entry);
        committedInEpoch.add(replica.epoch());
      }
    }
    node.lastHighWatermark = hw;
  }

  private void checkHoldsCommitted(Node node, int upTo, String who) {
    List<String> entries = node.log.entries();
    check(entries.size() >= upTo, who + " " + node.id + " lacks committed entries: log end " + entries.size()
        + " < " + upTo);
    for (int offset = 0; offset < upTo; offset++) {
      check(entries.get(offset).equals(committed.get(offset)), who + " " + node.id + " has " + entries.get(offset)
          + " at committed offset " + offset + " instead of " + committed.get(offset));
    }
  }

  private void checkAll(boolean everyoneCaughtUp) {
    for (int id = 1; id < nodes.length; id++) {
      Node node = nodes[id];
      checkHoldsCommitted(node, (int) Math.min(node.replica.highWatermark(), committed.size()), "node");
    }
    for (Ack ack : acked) {
      check(committed.get((int) ack.offset()).endsWith(":" + ack.value()), "acknowledged " + ack + " lost");
    }
    if (everyoneCaughtUp) {
      check(allCaughtUp(), "not every replica caught up with the committed log");
    }
  }

  /** Every replica leads or follows in one epoch: none is left campaigning or waiting in another. */
  private boolean allFollowOneLeader() {
    java.util.Set<Integer> epochs = new java.util.HashSet<>();
    for (int id = 1; id < nodes.length; id++) {
      QuorumReplica replica = nodes[id].replica;
      if (replica.role() != Role.LEADER && replica.role() != Role.FOLLOWER) {
        return false;
      }
      epochs.add(replica.epoch());
    }
    return epochs.size() == 1;
  }

  private boolean allCaughtUp() {
    for (int id = 1; id < nodes.length; id++) {
      if (nodes[id].replica.highWatermark() < committed.size()) {
        return false;
      }
    }
    return true;
  }

  private void check(boolean condition, String message) {
    if (!condition) {
      fail(message);
    }
  }

  private void fail(String message) {
    throw new AssertionError(message);
  }

  private void log(String event) {
    trace.append(nowMs).append(" ms: ").append(event).append('\n');
    if (trace.length() > 200_000) {
      trace.delete(0, 100_000);
    }
  }

  private String tail() {
    String text = trace.toString();
    return text.length() > 6_000 ? text.substring(text.length() - 6_000) : text;
  }

  private String replicas() {
    StringBuilder out = new StringBuilder();
    for (int id = 1; id < nodes.length; id++) {
      Node node = nodes[id];
      out.append("  ").append(node.replica == null ? "node " + id + " down" : node.replica + " voters "
          + node.replica.voters().map(Object::toString).orElse("none")).append(" paused until ").append(node.pausedUntilMs)
          .append(" progress ").append(node.replica == null ? "" : node.replica.replicaProgress(nowMs))
          .append(" tail ").append(node.log.entries().subList(Math.max(0, node.log.entries().size() - 3), node.log.entries().size()))
          .append(" parked ").append(node.parked.size()).append(" fetch deadline ").append(node.fetchDeadlineMs)
          .append('\n');
    }
    return out.append("  now ").append(nowMs).append(" committed ").append(committed.size()).append('\n').toString();
  }

  int committedEntries() {
    return committed.size();
  }

  int acknowledged() {
    return acked.size();
  }

  int epochs() {
    return leaderOfEpoch.size();
  }
}
