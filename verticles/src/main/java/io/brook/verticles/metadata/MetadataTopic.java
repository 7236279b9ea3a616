package io.brook.verticles.metadata;

import io.brook.metadata.MetadataRecord;
import io.brook.metadata.MetadataRecordSerde;
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
 * storage engine and replicated from the active controller (its leader, at the controller epoch) as
 * data partitions are. Its records are metadata records: key = type name, value = JSON.
 */
public final class MetadataTopic {
  public static final String NAME = "__cluster_metadata";
  public static final TopicPartition PARTITION = new TopicPartition(NAME, 0);

  /** Published locally by the metadata partition's leader or follower whenever its high watermark moves. */
  public static final String LOCAL_HIGH_WATERMARK = "brook.local.metadata.high-watermark";

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

  /** A metadata record with the offset it has in the log. */
  public record Entry(long offset, MetadataRecord record) {}

  /** The records of {@code batches} at offsets in [fromOffset, toOffset). */
  public static List<Entry> entries(MemoryRecords batches, long fromOffset, long toOffset) {
    List<Entry> entries = new ArrayList<>();
    for (RecordBatch batch : batches.batches()) {
      for (Record record : batch) {
        if (record.offset() >= fromOffset && record.offset() < toOffset) {
          entries.add(new Entry(record.offset(), MetadataRecordSerde.fromRecord(record)));
        }
      }
    }
    return entries;
  }
}
