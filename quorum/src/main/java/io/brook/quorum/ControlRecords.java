package io.brook.quorum;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.LeaderChangeMessage;
import org.apache.kafka.common.message.VotersRecord;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.ControlRecordUtils;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The quorum's own entries in the metadata log, as KRaft writes them: Kafka control batches holding
 * a {@code LeaderChangeMessage} (the first entry of every leader epoch: Raft commits a leader's
 * earlier-epoch entries only with one of its own) or a {@code VotersRecord} (the voter set from this
 * offset on). Metadata readers skip control batches.
 */
public final class ControlRecords {
  private static final int BUFFER_BYTES = 512;

  private ControlRecords() {}

  /** A stamped batch at {@code offset} and {@code epoch}: leader {@code leaderId} begins its epoch. */
  public static MemoryRecords leaderChange(long offset, int epoch, int leaderId, VoterSet voters, long nowMs) {
    List<LeaderChangeMessage.Voter> list = voters.keys().stream()
        .map(key -> new LeaderChangeMessage.Voter().setVoterId(key.id()))
        .toList();
    LeaderChangeMessage message = new LeaderChangeMessage()
        .setVersion(ControlRecordUtils.LEADER_CHANGE_CURRENT_VERSION)
        .setLeaderId(leaderId)
        .setVoters(list)
        .setGrantingVoters(List.of());
    return MemoryRecords.withLeaderChangeMessage(offset, nowMs, epoch, ByteBuffer.allocate(BUFFER_BYTES), message);
  }

  /** A stamped batch at {@code offset} and {@code epoch}: the voters from here on. */
  public static MemoryRecords voters(long offset, int epoch, VoterSet voters, long nowMs) {
    List<VotersRecord.Voter> list = voters.keys().stream()
        .map(key -> new VotersRecord.Voter().setVoterId(key.id()).setVoterDirectoryId(uuid(key.directoryId()))
            .setEndpoints(new VotersRecord.EndpointCollection())
            .setKRaftVersionFeature(new VotersRecord.KRaftVersionFeature().setMinSupportedVersion((short) 0)
                .setMaxSupportedVersion((short) 1)))
        .toList();
    VotersRecord record = new VotersRecord().setVersion(ControlRecordUtils.KRAFT_VOTERS_CURRENT_VERSION).setVoters(list);
    return MemoryRecords.withVotersRecord(offset, nowMs, epoch,
        ByteBuffer.allocate(BUFFER_BYTES + 64 * voters.size()), record);
  }

  /** A voter set found in the log, at its offset. */
  public record VotersAt(long offset, VoterSet voters) {}

  /** The voter sets in {@code records}, in offset order. */
  public static List<VotersAt> votersIn(MemoryRecords records) {
    List<VotersAt> found = new ArrayList<>();
    for (RecordBatch batch : records.batches()) {
      if (!batch.isControlBatch()) {
        continue;
      }
      for (Record record : batch) {
        if (ControlRecordType.parse(record.key()) == ControlRecordType.KRAFT_VOTERS) {
          found.add(new VotersAt(record.offset(), toVoterSet(ControlRecordUtils.deserializeVotersRecord(record))));
        }
      }
    }
    return found;
  }

  private static VoterSet toVoterSet(VotersRecord record) {
    return new VoterSet(record.voters().stream()
        .map(v -> new ReplicaKey(v.voterId(), v.voterDirectoryId().toString())).toList());
  }

  private static Uuid uuid(String directoryId) {
    return Uuid.fromString(directoryId);
  }
}
