package io.brook.quorum;

import io.brook.quorum.Outbound.SendBeginEpoch;
import io.brook.quorum.Outbound.SendFetch;
import io.brook.quorum.Outbound.SendVote;
import io.brook.quorum.QuorumMessages.QuorumBeginEpoch;
import io.brook.quorum.QuorumMessages.QuorumFetchRequest;
import io.brook.quorum.QuorumMessages.QuorumFetchResponse;
import io.brook.quorum.QuorumMessages.QuorumVoteRequest;
import io.brook.quorum.QuorumMessages.QuorumVoteResponse;
import io.brook.replication.EpochEndOffset;
import io.brook.replication.FetchValidation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * One replica of the cluster metadata log in the metadata quorum: Raft as Kafka's KRaft does it
 * (KIP-595, with pre-vote of KIP-996 and the voter keys of KIP-853). Followers pull from the
 * leader; the leader commits what a majority of the voters have on disk; elections need a majority
 * of votes, and a voter votes once per epoch, only for a log at least as up to date as its own.
 *
 * <p>Safety (what the simulation checks): at most one leader per epoch; a committed entry is in
 * every later leader's log and is never truncated; the high watermark a replica reports never goes
 * back. Epochs, and this replica's vote, are persisted through the {@link ElectionStateStore} before
 * anyone is told of them.
 *
 * <p>Deterministic and single-threaded: the owner (the broker's quorum verticle, or the simulation)
 * calls it on one thread with the current time, sends what {@link #drainOutbox()} returns, and
 * feeds the answers back. It does its log I/O through {@link QuorumLog}, which blocks.
 */
public final class QuorumReplica {
  private final ReplicaKey local;
  private final QuorumConfig config;
  private final QuorumLog log;
  private final ElectionStateStore store;
  private final VoterHistory voters;
  private final Random random;
  private final List<Outbound> outbox = new ArrayList<>();
  private String clusterId;

  private Role role = Role.UNATTACHED;
  private ElectionState election;
  private long highWatermark;
  private long electionDeadlineMs;
  // follower
  private long lastLeaderContactMs = Long.MIN_VALUE / 2;
  private long fetchInFlight = -1; // id of the fetch awaiting its answer, -1 if none
  private long nextFetchId;
  private long nextFetchMs;
  private boolean leaderGone;
  private long lastResponseSentMs = -1; // echoed to the leader: the send time of its last answer received
  private boolean fetchedFromLeader; // this replica's log reached the leader's high watermark in this role
  // prospective and candidate
  private final Set<Integer> granted = new HashSet<>();
  private final Set<Integer> rejected = new HashSet<>();
  // leader
  private LeaderState leader;
  // unattached observer: whom to ask next for the leader
  private int discoveryIndex;

  /**
   * @param clusterId null until this replica founds or joins a cluster
   * @param voters    the voter sets already in {@code log} (scanned by the owner at start)
   */
  public QuorumReplica(ReplicaKey local, String clusterId, QuorumConfig config, QuorumLog log,
      ElectionStateStore store, VoterHistory voters, Random random, long nowMs) {
    this.local = local;
    this.clusterId = clusterId;
    this.config = config;
    this.log = log;
    this.store = store;
    this.voters = voters;
    this.random = random;
    this.election = store.read();
    resetElectionTimer(nowMs);
    if (voters.latest().map(v -> v.size() == 1 && v.isVoter(local)).orElse(false)) {
      electionDeadlineMs = nowMs; // the only voter: nobody to wait for
    }
  }

  // ---- queries ----

  public Role role() {
    return role;
  }

  public int epoch() {
    return election.epoch();
  }

  /** The leader of the current epoch as far as this replica knows, -1 if none. */
  public int leaderId() {
    return role == Role.LEADER ? local.id() : role == Role.FOLLOWER ? election.leaderId() : -1;
  }

  public ReplicaKey localKey() {
    return local;
  }

  public Optional<String> clusterId() {
    return Optional.ofNullable(clusterId);
  }

  /** Offsets below this are committed (as far as this replica knows; 0 until it hears from a leader). */
  public long highWatermark() {
    return highWatermark;
  }

  public Optional<VoterSet> voters() {
    return voters.latest();
  }

  public long logEndOffset() {
    return log.endOffset();
  }

  public boolean isVoter() {
    return voters.latest().map(v -> v.isVoter(local)).orElse(false);
  }

  /**
   * True while this replica leads, has committed an entry of its epoch, and a majority of voters
   * fetched within the fetch timeout: no other leader can exist yet, so it may act as controller.
   */
  public boolean mayAct(long nowMs) {
    return leadsWithCommittedEpoch() && leader.leaseStartMs(nowMs) > nowMs - config.fetchTimeoutMs();
  }

  /** Until when {@link #mayAct} holds if nothing else happens (milliseconds of the replica's clock); -1 if it does not. */
  public long leaseEndMs(long nowMs) {
    return mayAct(nowMs) ? leader.leaseStartMs(nowMs) + config.fetchTimeoutMs() : -1;
  }

  /** A follower or observer that heard from its leader within the fetch timeout. */
  public boolean inContactWithLeader(long nowMs) {
    return role == Role.LEADER || (role == Role.FOLLOWER && nowMs - lastLeaderContactMs < config.fetchTimeoutMs());
  }

  /** A replica's progress as the leader sees it. */
  public record ReplicaProgress(ReplicaKey key, long endOffset, long lastFetchAgeMs) {}

  /** The leader's view of the other replicas, by node id (empty unless leader). */
  public Map<Integer, ReplicaProgress> replicaProgress(long nowMs) {
    if (role != Role.LEADER) {
      return Map.of();
    }
    Map<Integer, ReplicaProgress> view = new TreeMap<>();
    leader.progress().forEach((id, p) -> {
      if (id != local.id()) {
        view.put(id, new ReplicaProgress(p.key(), p.endOffset(), nowMs - p.lastFetchMs()));
      }
    });
    return view;
  }

  /** This replica leads and has committed an entry of its epoch: its log holds everything committed. */
  public boolean leadsWithCommittedEpoch() {
    return role == Role.LEADER && highWatermark > leader.epochStartOffset();
  }

  /**
   * The high watermark came from a leader in this replica's current role (it leads with a committed
   * epoch, or it fetched up to its leader's high watermark): not a value left from before a restart, nor
   * one held back by a log still catching up.
   */
  public boolean highWatermarkIsCurrent() {
    return leadsWithCommittedEpoch() || (role == Role.FOLLOWER && fetchedFromLeader);
  }

  public List<Outbound> drainOutbox() {
    List<Outbound> drained = new ArrayList<>(outbox);
    outbox.clear();
    return drained;
  }

  // ---- founding and joining ----

  /** Founds a new cluster: an empty log gets the first voter set, this replica alone. */
  public void bootstrap(String newClusterId, long nowMs) {
    if (log.endOffset() != 0 || voters.latest().isPresent()) {
      throw new IllegalStateException("only an empty metadata log can found a cluster");
    }
    clusterId = newClusterId;
    VoterSet founders = VoterSet.of(local);
    log.appendAsFollower(ControlRecords.voters(0, 0, founders, nowMs));
    voters.add(0, founders);
    becomeProspective(nowMs);
  }

  /** Adopts the cluster id of the leader this replica heard of (a new broker joining). */
  public void joinCluster(String id) {
    if (clusterId == null) {
      clusterId = id;
    }
  }

  // ---- time ----

  public void tick(long nowMs) {
    switch (role) {
      case LEADER -> {
        if (!leader.hasMajorityContactSince(nowMs - config.fetchTimeoutMs() * 3 / 2)) {
          resign(nowMs); // cut off from a majority: let the others elect
        } else if (!isVoter() && highWatermark > voters.latestOffset()) {
          resign(nowMs); // removed from the voters, and that is committed
        }
      }
      case FOLLOWER -> {
        if (nowMs - lastLeaderContactMs >= config.fetchTimeoutMs() || leaderGone) {
          if (isVoter()) {
            becomeProspective(nowMs);
          } else {
            becomeUnattached(election.epoch(), nowMs);
          }
        } else {
          maybeFetch(nowMs);
        }
      }
      case UNATTACHED -> {
        if (nowMs >= electionDeadlineMs) {
          if (isVoter()) {
            becomeProspective(nowMs);
          } else {
            discoverLeader(nowMs);
          }
        }
      }
      case PROSPECTIVE, CANDIDATE -> {
        if (nowMs >= electionDeadlineMs) {
          becomeProspective(nowMs); // no majority in time: try again (a candidate starts over with a pre-vote)
        }
      }
    }
  }

  /**
   * The controller gives up leading {@code epoch} (a write of its it could not see committed):
   * another election follows, at a higher epoch.
   */
  public void resignLeadership(int epoch, long nowMs) {
    if (role == Role.LEADER && election.epoch() == epoch) {
      resign(nowMs);
    }
  }

  /** The cluster manager saw the leader's process leave: do not wait for the fetch timeout. */
  public void onLeaderGone(int leaderId, long nowMs) {
    if (role == Role.FOLLOWER && election.leaderId() == leaderId) {
      leaderGone = true;
      tick(nowMs);
    }
  }

  // ---- votes ----

  public QuorumVoteResponse handleVote(QuorumVoteRequest request, long nowMs) {
    if (!sameCluster(request.clusterId())) {
      return QuorumVoteResponse.error(Errors.INCONSISTENT_CLUSTER_ID, election.epoch(), leaderId(), request.preVote());
    }
    ReplicaKey candidate = new ReplicaKey(request.candidateId(), request.candidateDirectoryId());
    // As in Raft, a replica votes whatever its own (maybe stale) voter set says, as long as the request
    // is for this very replica: a voter that has not yet fetched the set naming it must still help elect.
    boolean addressedToMe = request.voterId() == local.id() && request.voterDirectoryId().equals(local.directoryId());
    if (!addressedToMe) {
      return QuorumVoteResponse.error(Errors.INVALID_REQUEST, election.epoch(), leaderId(), request.preVote());
    }
    if (request.epoch() < election.epoch()) {
      return new QuorumVoteResponse(Errors.NONE.code(), election.epoch(), leaderId(), false, request.preVote());
    }
    int requesterEpoch = request.preVote() ? request.epoch() - 1 : request.epoch();
    if (role == Role.LEADER && requesterEpoch > election.epoch()) {
      // a voter is in a later epoch than this leader (it won a pre-vote while the links were lossy, then its vote
      // requests were lost): it can neither follow this older epoch nor win while the voters hear from this leader,
      // so the leader gives its epoch up and the next election takes everyone above it
      becomeUnattached(requesterEpoch, nowMs);
    }
    boolean upToDate = logAtLeastAsUpToDate(request.lastEpoch(), request.lastEpochEndOffset());
    if (request.preVote() || hearsFromLeader(nowMs)) {
      // no vote of either kind while a leader is heard from: that makes the leader's lease sound, and a
      // replica that was cut off cannot depose a healthy leader
      boolean granted = request.preVote() && upToDate && !hearsFromLeader(nowMs);
      return new QuorumVoteResponse(Errors.NONE.code(), election.epoch(), leaderId(), granted, request.preVote());
    }
    if (request.epoch() > election.epoch()) {
      becomeUnattached(request.epoch(), nowMs);
    }
    boolean grant;
    if (election.hasVoted()) {
      grant = election.votedFor(candidate);
    } else {
      grant = upToDate && (role == Role.UNATTACHED || role == Role.PROSPECTIVE);
      if (grant) {
        persist(new ElectionState(election.epoch(), candidate.id(), candidate.directoryId(), -1));
        resetElectionTimer(nowMs);
      }
    }
    return new QuorumVoteResponse(Errors.NONE.code(), election.epoch(), leaderId(), grant, false);
  }

  public void onVoteResponse(int voterId, QuorumVoteResponse response, long nowMs) {
    if (response.errorCode() != Errors.NONE.code()) {
      return;
    }
    if (response.epoch() > election.epoch()) {
      followOrWait(response.epoch(), response.leaderId(), nowMs);
      return;
    }
    boolean current = (role == Role.PROSPECTIVE && response.preVote())
        || (role == Role.CANDIDATE && !response.preVote() && response.epoch() == election.epoch());
    if (!current) {
      return;
    }
    boolean otherLeader = response.leaderId() >= 0 && response.leaderId() != local.id()
        && response.leaderId() != election.leaderId(); // not the one this replica just gave up on
    if (!response.granted() && otherLeader && response.epoch() == election.epoch() && role == Role.PROSPECTIVE) {
      becomeFollower(response.epoch(), response.leaderId(), nowMs); // a leader this replica did not know: follow it
      return;
    }
    (response.granted() ? granted : rejected).add(voterId);
    if (granted.size() >= voters.latest().get().majority()) {
      if (role == Role.PROSPECTIVE) {
        becomeCandidate(nowMs);
      } else {
        becomeLeader(nowMs);
      }
    }
  }

  /** A vote request went unanswered (timeout, no such broker): counts as nothing. */
  public void onVoteFailed(int voterId, long nowMs) {
    // the election timer decides when to try again
  }

  private boolean hearsFromLeader(long nowMs) {
    return role == Role.LEADER || (role == Role.FOLLOWER && !leaderGone
        && nowMs - lastLeaderContactMs < config.fetchTimeoutMs());
  }

  private boolean logAtLeastAsUpToDate(int lastEpoch, long endOffset) {
    int ownEpoch = log.lastEpoch();
    return lastEpoch > ownEpoch || (lastEpoch == ownEpoch && endOffset >= log.endOffset());
  }

  // ---- leader announcements ----

  /** QuorumBeginEpoch from a new leader, or its periodic announcement. */
  public void handleBeginEpoch(QuorumBeginEpoch message, long nowMs) {
    if (!sameCluster(message.clusterId()) || message.leaderId() == local.id()) {
      return;
    }
    boolean newer = message.epoch() > election.epoch();
    boolean leaderOfMine = message.epoch() == election.epoch() && role != Role.LEADER && role != Role.FOLLOWER;
    if (newer || leaderOfMine) {
      becomeFollower(message.epoch(), message.leaderId(), nowMs);
    }
  }

  // ---- fetching (follower side) ----

  private void maybeFetch(long nowMs) {
    if (fetchInFlight >= 0 || nowMs < nextFetchMs) {
      return;
    }
    fetchInFlight = nextFetchId++;
    outbox.add(new SendFetch(election.leaderId(), fetchInFlight, new QuorumFetchRequest(clusterId, local.id(), local.directoryId(),
        election.epoch(), log.endOffset(), log.lastEpoch(), highWatermark, config.fetchMaxBytes(),
        config.fetchMaxWaitMs(), lastResponseSentMs)));
  }

  /** The answer to this replica's fetch {@code fetchId} (a follower's, or an unattached observer's discovery). */
  public void onFetchResponse(int from, long fetchId, QuorumFetchResponse response, long nowMs) {
    if (fetchId != fetchInFlight) {
      return; // a late or repeated answer: the log may have moved since
    }
    fetchInFlight = -1;
    Errors error = response.error();
    if (error != Errors.NONE) {
      onFetchError(response, nowMs);
      return;
    }
    if (response.epoch() > election.epoch() || (role != Role.FOLLOWER && response.epoch() == election.epoch()
        && role != Role.LEADER && role != Role.CANDIDATE)) {
      becomeFollower(response.epoch(), from, nowMs); // records of this answer are fetched again
      return;
    }
    if (role != Role.FOLLOWER || response.epoch() != election.epoch() || from != election.leaderId()) {
      return; // stale
    }
    lastLeaderContactMs = nowMs;
    lastResponseSentMs = response.sentAtMs();
    leaderGone = false;
    if (response.diverging()) {
      // the log may still differ from the leader's below the truncation point: the high watermark waits
      // for an answer that accepts the fetch offset
      truncateDiverged(new EpochEndOffset(response.divergingEpoch(), response.divergingEndOffset()));
    } else {
      // the leader accepted the fetch offset: up to it, and through what it sent, this log is the leader's
      if (response.records().hasRemaining()) {
        appendFetched(MemoryRecords.readableRecords(response.records().duplicate()));
      }
      highWatermark = Math.max(highWatermark, Math.min(response.highWatermark(), log.endOffset()));
      fetchedFromLeader |= highWatermark >= response.highWatermark(); // reached what the leader has committed
    }
    maybeFetch(nowMs);
  }

  /** Fetch {@code fetchId} went unanswered (timeout, no handler): try again after the retry back-off. */
  public void onFetchFailed(long fetchId, long nowMs) {
    if (fetchId != fetchInFlight) {
      return;
    }
    fetchInFlight = -1;
    nextFetchMs = nowMs + config.retryBackoffMs();
  }

  private void onFetchError(QuorumFetchResponse response, long nowMs) {
    nextFetchMs = nowMs + config.retryBackoffMs();
    boolean hint = response.leaderId() >= 0 && response.leaderId() != local.id();
    if (response.epoch() > election.epoch()) {
      followOrWait(response.epoch(), hint ? response.leaderId() : -1, nowMs);
    } else if (response.epoch() == election.epoch() && hint && role == Role.UNATTACHED) {
      becomeFollower(response.epoch(), response.leaderId(), nowMs);
    }
  }

  private void truncateDiverged(EpochEndOffset leaderEnd) {
    long offset = FetchValidation.followerTruncationOffset(leaderEnd, log::endOffsetForEpoch, log.endOffset());
    if (offset < highWatermark) {
      throw new IllegalStateException("Replica " + local + " would truncate committed records: to " + offset
          + " below its high watermark " + highWatermark);
    }
    log.truncateTo(offset);
    voters.truncateTo(offset);
  }

  private void appendFetched(MemoryRecords records) {
    long expected = log.endOffset();
    long first = records.batches().iterator().next().baseOffset();
    if (first != expected) {
      return; // an answer to an older fetch offset: the next fetch asks again
    }
    log.appendAsFollower(records);
    ControlRecords.votersIn(records).forEach(v -> voters.add(v.offset(), v.voters()));
  }

  // ---- fetching (leader side) ----

  /** What the owner does with a fetch: answer now, or hold it until the log or high watermark moves. */
  public sealed interface FetchVerdict {
    record Answer(QuorumFetchResponse response) implements FetchVerdict {}

    record Park() implements FetchVerdict {}
  }

  public FetchVerdict handleFetch(QuorumFetchRequest request, long nowMs) {
    if (!sameCluster(request.clusterId())) {
      return answer(QuorumFetchResponse.error(Errors.INCONSISTENT_CLUSTER_ID, election.epoch(), leaderId()));
    }
    if (request.epoch() > election.epoch()) {
      followOrWait(request.epoch(), -1, nowMs); // someone knows a newer epoch: this replica is stale
      return answer(QuorumFetchResponse.error(Errors.UNKNOWN_LEADER_EPOCH, election.epoch(), leaderId()));
    }
    if (role != Role.LEADER) {
      return answer(QuorumFetchResponse.error(Errors.NOT_LEADER_OR_FOLLOWER, election.epoch(), leaderId()));
    }
    if (request.epoch() < election.epoch()) {
      return answer(QuorumFetchResponse.error(Errors.FENCED_LEADER_EPOCH, election.epoch(), local.id()));
    }
    Optional<EpochEndOffset> diverging = FetchValidation.divergence(request.lastFetchedEpoch(), request.fetchOffset(),
        log::endOffsetForEpoch);
    if (diverging.isPresent()) {
      EpochEndOffset end = diverging.get();
      return answer(new QuorumFetchResponse(Errors.NONE.code(), election.epoch(), local.id(), highWatermark,
          end.epoch(), end.endOffset(), ByteBuffer.allocate(0), nowMs));
    }
    if (request.fetchOffset() < log.startOffset() || request.fetchOffset() > log.endOffset()) {
      return answer(QuorumFetchResponse.error(Errors.OFFSET_OUT_OF_RANGE, election.epoch(), local.id()));
    }
    leader.onFetch(request.replicaKey(), request.fetchOffset(), request.lastResponseSentMs(), nowMs);
    highWatermark = leader.highWatermark();
    if (request.fetchOffset() == log.endOffset() && highWatermark <= request.knownHighWatermark()) {
      return new FetchVerdict.Park();
    }
    ByteBuffer records = request.fetchOffset() == log.endOffset() ? ByteBuffer.allocate(0)
        : log.read(request.fetchOffset(), Math.min(request.maxBytes(), config.fetchMaxBytes())).buffer();
    return answer(new QuorumFetchResponse(Errors.NONE.code(), election.epoch(), local.id(), highWatermark, -1, -1, records,
        nowMs));
  }

  private static FetchVerdict answer(QuorumFetchResponse response) {
    return new FetchVerdict.Answer(response);
  }

  // ---- appends (leader side) ----

  /**
   * Appends the controller's records at this leader's epoch, on disk before it returns; they are
   * committed once {@link #highWatermark()} passes the returned last offset.
   *
   * @throws NotControllerException if this replica is not the leader of {@code expectedEpoch}
   */
  public long appendAsLeader(MemoryRecords records, int expectedEpoch) {
    throwIfNotLeaderOf(expectedEpoch);
    long base = log.appendAsLeader(records, election.epoch());
    onLocalAppend();
    int count = 0;
    for (var batch : records.batches()) {
      count += (int) (batch.lastOffset() - batch.baseOffset() + 1);
    }
    return base + count - 1;
  }

  /**
   * Changes the voters by one (KIP-853), once this leader has committed an entry of its epoch and
   * no other change is still uncommitted; returns the offset of the new set.
   */
  public long appendVoters(VoterSet next, int expectedEpoch, long nowMs) {
    throwIfNotLeaderOf(expectedEpoch);
    VoterSet current = voters.latest().orElseThrow();
    if (!canChangeVoters()) {
      throw new NotControllerException("A voter change is still being committed");
    }
    Set<Integer> changed = new HashSet<>(current.ids());
    changed.addAll(next.ids());
    changed.removeIf(id -> current.key(id).equals(next.key(id)));
    if (changed.size() != 1) {
      throw new IllegalArgumentException("voters change one at a time: " + current + " -> " + next);
    }
    long offset = log.endOffset();
    log.appendAsFollower(ControlRecords.voters(offset, election.epoch(), next, nowMs));
    voters.add(offset, next);
    leader.setVoters(next);
    onLocalAppend();
    return offset;
  }

  /** A leader may start a voter change now. */
  public boolean canChangeVoters() {
    return role == Role.LEADER && highWatermark > leader.epochStartOffset() && highWatermark > voters.latestOffset();
  }

  /** A replica that is not a voter and fetched up to the high watermark within the fetch timeout. */
  public Optional<ReplicaKey> caughtUpObserver(int id, long nowMs) {
    return role == Role.LEADER ? leader.caughtUpObserver(id, nowMs - config.fetchTimeoutMs()) : Optional.empty();
  }

  private void throwIfNotLeaderOf(int expectedEpoch) {
    if (role != Role.LEADER || election.epoch() != expectedEpoch) {
      throw new NotControllerException("Broker " + local.id() + " is not the leader of metadata epoch " + expectedEpoch
          + " (it is " + role + " at epoch " + election.epoch() + ")");
    }
  }

  private void onLocalAppend() {
    leader.onLocalAppend(log.endOffset());
    highWatermark = leader.highWatermark();
  }

  // ---- transitions: the only places that change role and epoch ----

  private void becomeUnattached(int epoch, long nowMs) {
    if (epoch > election.epoch()) {
      persist(new ElectionState(epoch, -1, "", -1));
    }
    enter(Role.UNATTACHED);
    resetElectionTimer(nowMs);
  }

  private void becomeFollower(int epoch, int leaderId, long nowMs) {
    ElectionState next = epoch > election.epoch() ? new ElectionState(epoch, -1, "", leaderId)
        : new ElectionState(epoch, election.votedId(), election.votedDirectoryId(), leaderId);
    persist(next);
    enter(Role.FOLLOWER);
    lastResponseSentMs = -1;
    lastLeaderContactMs = nowMs; // a fresh leader gets a whole fetch timeout
    nextFetchMs = nowMs;
    maybeFetch(nowMs);
  }

  /** A response carried a newer epoch: follow its leader if named, else wait in it. */
  private void followOrWait(int epoch, int leaderId, long nowMs) {
    if (leaderId >= 0 && leaderId != local.id()) {
      becomeFollower(epoch, leaderId, nowMs);
    } else {
      becomeUnattached(epoch, nowMs);
    }
  }

  private void becomeProspective(long nowMs) {
    enter(Role.PROSPECTIVE);
    electionDeadlineMs = nowMs + config.electionTimeoutMs() + randomBackoff();
    granted.add(local.id());
    requestVotes(election.epoch() + 1, true);
    if (granted.size() >= voters.latest().get().majority()) {
      becomeCandidate(nowMs);
    }
  }

  private void becomeCandidate(long nowMs) {
    persist(new ElectionState(election.epoch() + 1, local.id(), local.directoryId(), -1));
    enter(Role.CANDIDATE);
    electionDeadlineMs = nowMs + config.electionTimeoutMs() + randomBackoff();
    granted.add(local.id());
    requestVotes(election.epoch(), false);
    if (granted.size() >= voters.latest().get().majority()) {
      becomeLeader(nowMs);
    }
  }

  private void becomeLeader(long nowMs) {
    Set<ReplicaKey> voted = new HashSet<>();
    VoterSet current = voters.latest().get();
    granted.forEach(id -> current.key(id).ifPresent(voted::add));
    persist(new ElectionState(election.epoch(), election.votedId(), election.votedDirectoryId(), local.id()));
    long epochStart = log.endOffset();
    enter(Role.LEADER);
    leader = new LeaderState(local, epochStart, current, voted, highWatermark, nowMs);
    log.appendAsFollower(ControlRecords.leaderChange(epochStart, election.epoch(), local.id(), current, nowMs));
    onLocalAppend();
    for (int id : current.ids()) {
      if (id != local.id()) {
        outbox.add(new SendBeginEpoch(id, new QuorumBeginEpoch(clusterId, election.epoch(), local.id())));
      }
    }
  }

  /** A leader cut off from its voters (or no longer one) stops leading; it stays in its epoch, having voted in it. */
  private void resign(long nowMs) {
    persist(new ElectionState(election.epoch(), election.votedId(), election.votedDirectoryId(), -1));
    enter(Role.UNATTACHED);
    resetElectionTimer(nowMs);
  }

  private void enter(Role next) {
    role = next;
    leader = next == Role.LEADER ? leader : null;
    granted.clear();
    rejected.clear();
    leaderGone = false;
    fetchedFromLeader = false;
    fetchInFlight = -1; // an answer to a fetch of the previous role is ignored
  }

  private void requestVotes(int epoch, boolean preVote) {
    for (ReplicaKey voter : voters.latest().get().keys()) {
      if (!voter.equals(local)) {
        outbox.add(new SendVote(voter.id(), new QuorumVoteRequest(clusterId, local.id(), local.directoryId(), voter.id(),
            voter.directoryId(), epoch, log.lastEpoch(), log.endOffset(), preVote)));
      }
    }
  }

  /** An observer without a leader asks the voters in turn; their answers name the leader. */
  private void discoverLeader(long nowMs) {
    resetElectionTimer(nowMs);
    List<Integer> ids = voters.latest().map(v -> List.copyOf(v.ids())).orElse(List.of());
    if (ids.isEmpty() || clusterId == null || fetchInFlight >= 0) {
      return;
    }
    int target = ids.get(Math.floorMod(discoveryIndex++, ids.size()));
    if (target == local.id()) {
      return;
    }
    fetchInFlight = nextFetchId++;
    outbox.add(new SendFetch(target, fetchInFlight, new QuorumFetchRequest(clusterId, local.id(), local.directoryId(), election.epoch(),
        log.endOffset(), log.lastEpoch(), highWatermark, config.fetchMaxBytes(), 0, -1)));
  }

  private void persist(ElectionState next) {
    store.write(next);
    election = next;
  }

  private void resetElectionTimer(long nowMs) {
    long timeout = config.electionTimeoutMs();
    electionDeadlineMs = nowMs + timeout + (long) (random.nextDouble() * timeout);
  }

  private long randomBackoff() {
    return (long) (random.nextDouble() * config.electionBackoffMaxMs());
  }

  private boolean sameCluster(String id) {
    return clusterId != null && clusterId.equals(id);
  }

  @Override
  public String toString() {
    return "QuorumReplica[" + local + " " + role + " epoch " + election.epoch() + " leader " + leaderId() + " end "
        + log.endOffset() + " hw " + highWatermark + "]";
  }
}
