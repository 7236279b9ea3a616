package io.brook.verticles;

import static io.brook.verticles.BrokerHarness.NODE_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.storage.Time;
import io.brook.verticles.log.LogRequests;
import io.vertx.core.eventbus.ReplyException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lone replica (one broker) restarted after a kill -9 with a byte flipped in an older segment:
 * the rolled segments were flushed, so recovery leaves them alone; only the corrupt batch is lost,
 * reported as CORRUPT_MESSAGE with its offsets, and produce continues at the old log end.
 */
class BrokerCorruptionTest {
  private static final Map<String, Object> NO_FLUSH_TICKS = Map.of(BrokerConfig.LOG_FLUSH_SCHEDULER_INTERVAL_MS,
      3_600_000L);

  @TempDir
  Path root;

  @Test
  void aLoneReplicaServesEverythingButTheCorruptBatchAfterAKill() throws IOException {
    Path live = root.resolve("live");
    Path crashed = root.resolve("crashed");
    List<String> produced = new ArrayList<>();
    LogRequests.LogOffsets before;
    try (BrokerHarness broker = new BrokerHarness(live, NO_FLUSH_TICKS, Time.SYSTEM)) {
      broker.calls.createTopic("t", 1, Map.of("segment.bytes", "1024"));
      for (int i = 0; i < 60; i++) {
        String value = "value-" + i + "-" + "x".repeat(100);
        broker.calls.produce("t", 0, value);
        produced.add(i + ":" + value);
      }
      before = broker.calls.request(Addresses.localLog("t", 0), new LogRequests.Describe());
      assertThat(before.segments()).isGreaterThan(3);
      assertThat(before.recoveryPoint()).as("rolled segments are flushed without any flush tick")
          .isGreaterThan(0).isLessThan(before.logEndOffset());
      copyTree(live, crashed); // the files as a kill -9 leaves them: no clean-shutdown marker
    }
    Path partitionDir = crashed.resolve("t-0");
    Path olderSegment = segmentFiles(partitionDir).get(1);
    long[] victim = batches(olderSegment).get(1); // {position, size, base offset, last offset}
    flipByte(olderSegment, (int) (victim[0] + victim[1] - 7));

    try (BrokerHarness broker = new BrokerHarness(crashed, NO_FLUSH_TICKS, Time.SYSTEM)) {
      ProtocolCalls calls = broker.calls;
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> calls.fetch("t", 0, 0).logEndOffset() == before.logEndOffset());
      LogRequests.LogOffsets after = calls.request(Addresses.localLog("t", 0), new LogRequests.Describe());
      assertThat(after.segments()).as("no segment deleted").isEqualTo(before.segments());
      assertThat(after.logEndOffset()).isEqualTo(before.logEndOffset());

      ReplyException corrupt = catchThrowableOfType(ReplyException.class, () -> calls.request(Addresses.fetch(NODE_ID),
          FetchRequest.consumer("t", 0, victim[2], 1 << 20, 1, 0)));
      assertThat(corrupt).isNotNull();
      assertThat(Errors.forCode((short) corrupt.failureCode())).isEqualTo(Errors.CORRUPT_MESSAGE);
      assertThat(corrupt.getMessage()).contains("t-0").contains("[" + victim[2] + ", " + victim[3] + "]");

      assertThat(readUpTo(calls, victim[2])).as("reads from the start stop before the corrupt batch")
          .isEqualTo(produced.subList(0, (int) victim[2]));
      assertThat(calls.readAll("t", 0, victim[3] + 1)).isEqualTo(produced.subList((int) victim[3] + 1, produced.size()));
      ProduceResponse next = calls.produce("t", 0, "after the restart");
      assertThat(next.baseOffset()).as("no offset is reused").isEqualTo(before.logEndOffset());
    }
  }

  /** Every record of partition t-0 from offset 0 up to {@code endOffset}, fetch by fetch. */
  private static List<String> readUpTo(ProtocolCalls calls, long endOffset) {
    List<String> read = new ArrayList<>();
    long next = 0;
    while (next < endOffset) {
      List<String> values = ProtocolCalls.values(calls.fetch("t", 0, next), next);
      assertThat(values).as("fetch at %d", next).isNotEmpty();
      read.addAll(values);
      String last = values.get(values.size() - 1);
      next = Long.parseLong(last.substring(0, last.indexOf(':'))) + 1;
    }
    return read;
  }

  static List<Path> segmentFiles(Path partitionDir) throws IOException {
    try (Stream<Path> files = Files.list(partitionDir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
    }
  }

  /** Each batch of a segment file: {position, size, base offset, last offset}. */
  static List<long[]> batches(Path segment) throws IOException {
    List<long[]> batches = new ArrayList<>();
    try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
      for (FileChannelRecordBatch batch : records.batches()) {
        batches.add(new long[] {batch.position(), batch.sizeInBytes(), batch.baseOffset(), batch.lastOffset()});
      }
    }
    return batches;
  }

  static void flipByte(Path file, int position) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(position);
      int value = raf.read();
      raf.seek(position);
      raf.write(value ^ 0xA5);
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      paths.forEach(source -> {
        try {
          Files.copy(source, to.resolve(from.relativize(source).toString()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
