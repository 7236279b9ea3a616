package io.brook.server;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;

/** Damages a stopped broker's log files as a bad disk would: one flipped byte inside a record batch. */
final class CorruptBytes {
  private CorruptBytes() {}

  static List<Path> segments(Path partitionDir) throws IOException {
    try (Stream<Path> files = Files.list(partitionDir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
    }
  }

  /** Flips a byte near the end of the segment's second batch (inside its records, covered by its CRC). */
  static void flipInSecondBatch(Path segment) throws IOException {
    long position;
    try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
      FileChannelRecordBatch second = null;
      int index = 0;
      for (FileChannelRecordBatch batch : records.batches()) {
        if (index++ == 1) {
          second = batch;
          break;
        }
      }
      if (second == null) {
        throw new IllegalStateException(segment + " has fewer than two batches");
      }
      position = second.position() + second.sizeInBytes() - 9;
    }
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      file.seek(position);
      int value = file.read();
      file.seek(position);
      file.write(value ^ 0xA5);
    }
  }
}
