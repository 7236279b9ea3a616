package io.brook.quorum;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The leader's view of the replicas in one epoch: where each replica's log ends on disk (its last
 * accepted fetch offset), when it last fetched, and from that the high watermark.
 *
 * <p>Invariants: the high watermark never goes back; it is the largest offset that a majority of
 * the current voters have reached, counted only once that majority has reached past the epoch's
 * first entry ({@link #epochStartOffset}: Raft commits earlier epochs' entries only through one of
 * the leader's own). Fetches from a replica whose directory id is not the voter's count as an
 * observer's.
 *
 * <p>Owned by the replica's thread.
 */
final class LeaderState {
  private final ReplicaKey local;
  private final long epochStartOffset;
  private final Map<Integer, Progress> progress = new HashMap<>();
  private VoterSet voters;
  private long localEndOffset;
  private long highWatermark;

  /**
   * A replica's last accepted fetch. {@code contactMs}: the latest answer of this leader that the
   * replica confirmed receiving (it echoes the answer's send time): it has heard from this leader
   * since then, so it will not help elect another before {@code contactMs} + the fetch timeout.
   */
  record Progress(ReplicaKey key, long endOffset, long lastFetchMs, long lastCaughtUpMs, long contactMs) {}

  /**
   * @param granted the voters that voted for this leader: a vote is contact, so a new leader does not
   *                resign before its followers' first fetches reach it
   */
  LeaderState(ReplicaKey local, long epochStartOffset, VoterSet voters, Set<ReplicaKey> granted,
      long highWatermark, long nowMs) {
    this.local = local;
    this.epochStartOffset = epochStartOffset;
    this.voters = voters;
    this.highWatermark = highWatermark;
    this.localEndOffset = epochStartOffset;
    granted.forEach(key -> progress.put(key.id(), new Progress(key, 0, nowMs, -1, Long.MIN_VALUE)));
  }

  long epochStartOffset() {
    return epochStartOffset;
  }

  long highWatermark() {
    return highWatermark;
  }

  VoterSet voters() {
    return voters;
  }

  /** The leader's own log end (on disk); true if the high watermark moved. */
  boolean onLocalAppend(long endOffset) {
    localEndOffset = endOffset;
    return maybeAdvance();
  }

  /**
   * An accepted fetch from {@code key} at {@code fetchOffset}, confirming this leader's answer sent
   * at {@code echoedSentAtMs}; true if the high watermark moved.
   */
  boolean onFetch(ReplicaKey key, long fetchOffset, long echoedSentAtMs, long nowMs) {
    Progress last = progress.get(key.id());
    boolean same = last != null && last.key().equals(key);
    long caughtUp = fetchOffset >= highWatermark ? nowMs : same ? last.lastCaughtUpMs() : -1;
    long contact = Math.max(echoedSentAtMs, same ? last.contactMs() : Long.MIN_VALUE);
    progress.put(key.id(), new Progress(key, fetchOffset, nowMs, caughtUp, contact));
    return maybeAdvance();
  }

  void setVoters(VoterSet next) {
    voters = next;
    maybeAdvance();
  }

  private boolean maybeAdvance() {
    List<Long> ends = new ArrayList<>();
    for (ReplicaKey voter : voters.keys()) {
      ends.add(endOf(voter));
    }
    ends.sort(Comparator.reverseOrder());
    long majorityEnd = ends.get(voters.majority() - 1);
    if (majorityEnd > epochStartOffset && majorityEnd > highWatermark) {
      highWatermark = majorityEnd;
      return true;
    }
    return false;
  }

  private long endOf(ReplicaKey voter) {
    if (voter.equals(local)) {
      return localEndOffset;
    }
    Progress p = progress.get(voter.id());
    return p != null && p.key().equals(voter) ? p.endOffset() : 0;
  }

  /** A majority of voters (this leader counting as always in contact) fetched at or after {@code sinceMs}. */
  boolean hasMajorityContactSince(long sinceMs) {
    int inContact = 0;
    for (ReplicaKey voter : voters.keys()) {
      Progress p = progress.get(voter.id());
      if (voter.equals(local) || (p != null && p.key().equals(voter) && p.lastFetchMs() >= sinceMs)) {
        inContact++;
      }
    }
    return inContact >= voters.majority();
  }

  /**
   * The start of this leader's lease, which lasts a fetch timeout: voters refuse to vote (and to
   * pre-vote) while they have heard from a leader within the fetch timeout, so no other leader can be
   * elected before a majority's last confirmed contact with this one plus the fetch timeout.
   */
  long leaseStartMs(long nowMs) {
    List<Long> times = new ArrayList<>();
    for (ReplicaKey voter : voters.keys()) {
      Progress p = progress.get(voter.id());
      times.add(voter.equals(local) ? nowMs : p != null && p.key().equals(voter) ? p.contactMs() : Long.MIN_VALUE);
    }
    times.sort(Comparator.reverseOrder());
    return times.get(voters.majority() - 1);
  }

  /**
   * A non-voter replica with node id {@code id} that fetched up to the high watermark within
   * {@code sinceMs}: ready to be a voter (or to replace the voter of the same id whose directory it
   * no longer has).
   */
  Optional<ReplicaKey> caughtUpObserver(int id, long sinceMs) {
    Progress p = progress.get(id);
    if (p == null || voters.isVoter(p.key()) || p.lastCaughtUpMs() < sinceMs) {
      return Optional.empty();
    }
    return Optional.of(p.key());
  }

  Map<Integer, Progress> progress() {
    return Map.copyOf(progress);
  }
}
