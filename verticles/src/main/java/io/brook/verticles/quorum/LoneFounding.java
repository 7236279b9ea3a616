package io.brook.verticles.quorum;

import io.brook.metadata.ControllerEpoch;
import io.brook.metadata.FenceBroker;
import io.brook.metadata.MetadataRecord;
import io.brook.metadata.RegisterBroker;
import io.brook.metadata.UnfenceBroker;
import io.brook.quorum.PartitionQuorumLog;
import io.brook.quorum.QuorumMessages.QuorumStatus;
import io.brook.quorum.VoterSet;
import io.brook.verticles.metadata.MetadataTopic;
import java.util.Optional;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * A cluster that this broker founded alone and that holds nothing but its founding, given up when
 * the broker hears of a real one. The designated founder restarted on an empty disk while cut off
 * from its cluster cannot tell that from a first start, so it founds a cluster of one; when the
 * network heals, the two clusters refuse each other (INCONSISTENT_CLUSTER_ID). If this broker's
 * cluster has no voter but this broker and its metadata log holds only the quorum's own entries and
 * this broker's registration (no topic, config, user or ACL: nothing a client made), nothing is lost
 * by giving it up: the broker forgets it and restarts as a new broker, which joins the other cluster.
 * It yields to a cluster with more voters; of two lone clusters, the one with the greater cluster id
 * yields, so exactly one of them does. A lone cluster that holds client state is kept, and the
 * warning says what to do.
 *
 * <p>Runs on the quorum verticle's worker thread: {@link #holdsOnlyItsFounding} reads the log.
 */
final class LoneFounding {
  /** A founding that wrote more than this is not a bare founding: no scan. */
  static final long MAX_SCANNED_OFFSETS = 10_000;

  private LoneFounding() {}

  /** Whether this broker, alone in {@code ownVoters} of cluster {@code ownClusterId}, gives its cluster up for the one {@code heard} is in. */
  static boolean yieldsTo(int nodeId, String ownClusterId, Optional<VoterSet> ownVoters, QuorumStatus heard) {
    boolean alone = ownVoters.map(v -> v.size() == 1 && v.ids().contains(nodeId)).orElse(false);
    if (!alone || heard.clusterId() == null || heard.clusterId().equals(ownClusterId)) {
      return false;
    }
    return heard.voters() > 1 || (heard.voters() == 1 && heard.clusterId().compareTo(ownClusterId) < 0);
  }

  /** Whether the log holds only control batches and records of broker {@code nodeId}'s own registration. */
  static boolean holdsOnlyItsFounding(PartitionQuorumLog log, int nodeId) {
    if (log.endOffset() - log.startOffset() > MAX_SCANNED_OFFSETS) {
      return false;
    }
    long offset = log.startOffset();
    while (offset < log.endOffset()) {
      MemoryRecords chunk = log.read(offset, 1 << 20);
      long next = offset;
      for (RecordBatch batch : chunk.batches()) {
        next = batch.nextOffset();
      }
      for (MetadataTopic.Entry entry : MetadataTopic.entries(chunk, offset, log.endOffset())) {
        if (!entry.isControl() && !ownRegistration(entry.record(), nodeId)) {
          return false;
        }
      }
      if (next <= offset) {
        return false;
      }
      offset = next;
    }
    return true;
  }

  private static boolean ownRegistration(MetadataRecord record, int nodeId) {
    return (record instanceof RegisterBroker r && r.nodeId() == nodeId)
        || (record instanceof FenceBroker f && f.nodeId() == nodeId)
        || (record instanceof UnfenceBroker u && u.nodeId() == nodeId)
        || record instanceof ControllerEpoch;
  }
}
