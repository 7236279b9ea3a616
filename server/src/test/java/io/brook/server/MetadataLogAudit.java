package io.brook.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.message.LeaderChangeMessage;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.ControlRecordUtils;
import org.apache.kafka.common.record.internal.FileLogInputStream;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.Record;

/**
 * Reads every broker's metadata log from disk, read-only, and checks Raft's properties across them:
 * in each log offsets are contiguous and epochs never go back; one leader per epoch (from the
 * LeaderChange control records of every log); and Log Matching: a batch at the same offset with the
 * same epoch is the same batch (same CRC) in every log that has it, so no two leaders ever wrote in
 * one epoch. Used after the process scenarios, with the brokers stopped or killed.
 */
public final class MetadataLogAudit {
  private MetadataLogAudit() {}

  /** A batch of one broker's metadata log. */
  record Batch(int broker, long baseOffset, long lastOffset, int epoch, long crc, int leaderChangeLeader) {}

  public static void check(Path root, List<Integer> brokers) throws IOException {
    Map<Integer, List<Batch>> logs = new HashMap<>();
    for (int id : brokers) {
      logs.put(id, read(root.resolve("node-" + id).resolve("__cluster_metadata-0"), id));
    }
    Map<Integer, Integer> leaderOfEpoch = new HashMap<>();
    Map<Long, Batch> byOffset = new HashMap<>();
    logs.forEach((id, batches) -> {
      long next = 0;
      int epoch = -1;
      for (Batch b : batches) {
        assertThat(b.baseOffset()).as("broker %d: offsets contiguous", id).isEqualTo(next);
        assertThat(b.epoch()).as("broker %d at %d: epochs never go back", id, b.baseOffset()).isGreaterThanOrEqualTo(epoch);
        next = b.lastOffset() + 1;
        epoch = b.epoch();
        if (b.leaderChangeLeader() >= 0) {
          Integer before = leaderOfEpoch.putIfAbsent(b.epoch(), b.leaderChangeLeader());
          assertThat(before == null || before == b.leaderChangeLeader())
              .as("one leader in epoch %d: %s and %d", b.epoch(), before, b.leaderChangeLeader()).isTrue();
        }
        Batch other = byOffset.putIfAbsent(b.baseOffset(), b);
        if (other != null && other.epoch() == b.epoch()) {
          assertThat(b.crc()).as("offset %d epoch %d: broker %d and %d hold the same batch", b.baseOffset(), b.epoch(),
              other.broker(), id).isEqualTo(other.crc());
        }
      }
    });
  }

  /** The batches of the log in {@code dir}, in offset order, read with kafka-clients without recovery. */
  static List<Batch> read(Path dir, int broker) throws IOException {
    List<Batch> batches = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return batches;
    }
    List<Path> segments;
    try (Stream<Path> files = Files.list(dir)) {
      segments = files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
    }
    for (Path segment : segments) {
      try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
        for (FileLogInputStream.FileChannelRecordBatch batch : records.batches()) {
          if (!batch.isValid()) {
            break; // a torn tail of an unflushed write: recovery cuts it at the next start
          }
          batches.add(new Batch(broker, batch.baseOffset(), batch.lastOffset(), batch.partitionLeaderEpoch(),
              batch.checksum(), leaderChangeLeader(batch)));
        }
      }
    }
    return batches;
  }

  private static int leaderChangeLeader(FileLogInputStream.FileChannelRecordBatch batch) {
    if (!batch.isControlBatch()) {
      return -1;
    }
    for (Record record : batch) {
      if (ControlRecordType.parse(record.key()) == ControlRecordType.LEADER_CHANGE) {
        LeaderChangeMessage message = ControlRecordUtils.deserializeLeaderChangeMessage(record);
        return message.leaderId();
      }
    }
    return -1;
  }
}
