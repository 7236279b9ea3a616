package io.brook.verticles.metadata;

import io.brook.metadata.MetadataRecord;
import io.brook.metadata.MetadataRecordSerde;
import io.brook.metadata.MetadataSerdeException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * The cluster metadata log: partition {@code __cluster_metadata-0}, kept by every broker with the
 * storage engine and replicated by the metadata quorum (Raft; its leader is the active controller,
 * at the controller epoch). Its records are metadata records (key = type name, value = JSON), between
 * the quorum's control batches.
 */
public final class MetadataTopic {
  public static final String NAME = "__cluster_metadata";
  public static final TopicPartition PARTITION = new TopicPartition(NAME, 0);

  private MetadataTopic() {}

  public static boolean is(TopicPartition partition) {
    return PARTITION.equals(partition);
  }

  /** One uncompressed batch holding {@code records}, for the controller to append. */
  public static MemoryRecords toBatch(List<MetadataRecord> records, long nowMs) {
    SimpleRecord[] simple = new SimpleRecord[records.size()];
    for (int i = 0; i < records.size(); i++) {
      simple[i] = MetadataRecordSerde.toSimpleRecord(records.get(i), nowMs);
    }
    return MemoryRecords.withRecords(Compression.NONE, simple);
  }

  /**
   * An entry of the metadata log with its offset: a metadata record; or none, for the quorum's own
   * control records (leader changes, voter sets), which readers pass over; or none and why, for a
   * record that cannot be read, which readers quarantine.
   */
  public record Entry(long offset, MetadataRecord record, String unreadable) {
    public boolean isControl() {
      return record == null && unreadable == null;
    }
  }

  /** The entries of {@code batches} at offsets in [fromOffset, toOffset). */
  public static List<Entry> entries(MemoryRecords batches, long fromOffset, long toOffset) {
    List<Entry> entries = new ArrayList<>();
    for (RecordBatch batch : batches.batches()) {
      for (Record record : batch) {
        if (record.offset() >= fromOffset && record.offset() < toOffset) {
          entries.add(batch.isControlBatch() ? new Entry(record.offset(), null, null) : read(record));
        }
      }
    }
    return entries;
  }

  private static Entry read(Record record) {
    try {
      return new Entry(record.offset(), MetadataRecordSerde.fromRecord(record), null);
    } catch (RuntimeException e) { // the decoder's own refusal, or whatever else a malformed record makes it throw
      return new Entry(record.offset(), null, e instanceof MetadataSerdeException ? e.getMessage() : e.toString());
    }
  }
}
