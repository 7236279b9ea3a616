package io.brook.quorum;

import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.Errors;

/**
 * The messages between metadata quorum replicas, KRaft's Vote, QuorumBeginEpoch and Fetch in Brook's
 * form. Every one carries the cluster id: a replica of another cluster is refused
 * ({@code INCONSISTENT_CLUSTER_ID}). Epochs are leader epochs (= controller epochs).
 */
public final class QuorumMessages {
  private QuorumMessages() {}

  /**
   * A candidate asks a voter for its vote in {@code epoch}; with {@code preVote} it only asks whether
   * the voter would vote (KIP-996): nothing changes on the voter, and a voter that still hears from a
   * leader says no, so a replica that was cut off cannot disrupt a healthy quorum.
   */
  public record QuorumVoteRequest(String clusterId, int candidateId, String candidateDirectoryId, int voterId,
      String voterDirectoryId, int epoch, int lastEpoch, long lastEpochEndOffset, boolean preVote) {}

  /** {@code epoch} and {@code leaderId}: the voter's view, so a stale candidate learns the current leader. */
  public record QuorumVoteResponse(short errorCode, int epoch, int leaderId, boolean granted, boolean preVote) {
    public static QuorumVoteResponse error(Errors error, int epoch, int leaderId, boolean preVote) {
      return new QuorumVoteResponse(error.code(), epoch, leaderId, false, preVote);
    }
  }

  /** A new leader tells the voters at once. */
  public record QuorumBeginEpoch(String clusterId, int epoch, int leaderId) {}

  /**
   * What every broker publishes every second: its cluster ({@code null} before it founded or joined
   * one), epoch and leader, and its event bus node (so that the cluster manager's "node left" can be
   * matched to a leader), and how many voters its latest voter set has (0: none yet, or a broker from
   * before this field). A leader's status is its announcement.
   */
  public record QuorumStatus(String clusterId, int nodeId, int epoch, int leaderId, String eventBusNodeId, int voters) {}

  /**
   * A replica fetches from the leader: its log ends at {@code fetchOffset} with a batch of
   * {@code lastFetchedEpoch}, everything before it on disk. {@code knownHighWatermark}: the leader
   * answers at once when its high watermark is past it, else it may hold the fetch up to
   * {@code maxWaitMs}. {@code lastResponseSentMs}: the {@code sentAtMs} of the last answer this
   * replica received from this leader in this epoch (-1 if none), which bounds the leader's lease.
   */
  public record QuorumFetchRequest(String clusterId, int replicaId, String directoryId, int epoch, long fetchOffset,
      int lastFetchedEpoch, long knownHighWatermark, int maxBytes, long maxWaitMs, long lastResponseSentMs) {
    public ReplicaKey replicaKey() {
      return new ReplicaKey(replicaId, directoryId);
    }
  }

  /**
   * Records from the fetch offset, or the leader's end of the diverging epoch
   * ({@code divergingEndOffset} >= 0, no records), or an error with the responder's epoch and leader as a
   * hint. {@code records} is never null. {@code sentAtMs}: the leader's clock when it answered, echoed
   * back by the replica's next fetch.
   */
  public record QuorumFetchResponse(short errorCode, int epoch, int leaderId, long highWatermark, int divergingEpoch,
      long divergingEndOffset, ByteBuffer records, long sentAtMs) {
    public static QuorumFetchResponse error(Errors error, int epoch, int leaderId) {
      return new QuorumFetchResponse(error.code(), epoch, leaderId, -1, -1, -1, ByteBuffer.allocate(0), -1);
    }

    public Errors error() {
      return Errors.forCode(errorCode);
    }

    public boolean diverging() {
      return errorCode == Errors.NONE.code() && divergingEndOffset >= 0;
    }
  }
}
