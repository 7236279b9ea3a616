package io.brook.verticles.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/** Record counts read from v2 batch headers match the batches' records, and a cut batch is not counted. */
class BatchCountsTest {
  static ByteBuffer batches(int... sizes) {
    ByteBuffer all = ByteBuffer.allocate(1 << 16);
    long offset = 0;
    for (int size : sizes) {
      SimpleRecord[] records = new SimpleRecord[size];
      for (int i = 0; i < size; i++) {
        records[i] = new SimpleRecord(("v" + i).getBytes());
      }
      MemoryRecords batch = MemoryRecords.withRecords(offset, Compression.NONE, records);
      all.put(batch.buffer());
      offset += size;
    }
    return all.flip();
  }

  @Test
  void countsEveryBatchesRecordsWithoutMovingTheBuffer() {
    ByteBuffer buffer = batches(3, 1, 5);
    assertThat(BatchCounts.records(buffer)).isEqualTo(9);
    assertThat(buffer.position()).isZero();
    assertThat(BatchCounts.records(ByteBuffer.allocate(0))).isZero();
    assertThat(BatchCounts.records(null)).isZero();
  }

  @Test
  void aCutLastBatchIsNotCounted() {
    ByteBuffer buffer = batches(2, 4);
    ByteBuffer cut = buffer.duplicate().limit(buffer.limit() - 5);
    assertThat(BatchCounts.records(cut)).isEqualTo(2);
    assertThat(BatchCounts.records(buffer.duplicate().limit(7))).isZero();
  }
}
