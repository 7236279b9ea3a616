package io.brook.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Fetch answered by a leader on the listener's own node travels as a slice of the segment file and
 * is sent to the socket from there (file regions): the client gets the same bytes as from memory,
 * across several batches and partitions, in the middle of the file; a remote leader is not asked for
 * a slice.
 */
class FileRecordsFetchTest {
  private static final int LOCAL_NODE = 1;
  private static final int REMOTE_NODE = 2;

  @TempDir
  Path dir;
  private Vertx vertx;
  private FileRecords segment;
  private MemoryRecords first;
  private MemoryRecords second;
  /** Whether each fetch the leaders got asked for a file slice, in arrival order. */
  private final List<Boolean> askedForSlice = new CopyOnWriteArrayList<>();
  private int port;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    BrookCodecs.register(vertx.eventBus());
    // a segment file: some bytes before the batches, as a slice from the middle of a segment has
    first = MemoryRecords.withRecords(0L, Compression.NONE, new SimpleRecord("k0".getBytes(), new byte[700]),
        new SimpleRecord("k1".getBytes(), new byte[300]));
    second = MemoryRecords.withRecords(2L, Compression.NONE, new SimpleRecord(null, "last".getBytes()));
    File file = dir.resolve("00000000000000000000.log").toFile();
    segment = FileRecords.open(file);
    segment.append(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(new byte[123])));
    int start = segment.sizeInBytes();
    segment.append(first);
    segment.append(second);
    FileRecords slice = segment.slice(start, segment.sizeInBytes() - start);

    vertx.eventBus().consumer(Addresses.metadata(LOCAL_NODE), message -> message.reply(new MetadataResponse(1,
        List.of(new BrokerInfo(LOCAL_NODE, "h", 1, -1), new BrokerInfo(REMOTE_NODE, "h", 2, -1)),
        List.of(new TopicMetadata("t", null, (short) 1, List.of(
            new PartitionMetadata(0, LOCAL_NODE, 0, List.of(1), List.of(1)),
            new PartitionMetadata(1, REMOTE_NODE, 0, List.of(2), List.of(2))))))));
    for (int node : List.of(LOCAL_NODE, REMOTE_NODE)) {
      vertx.eventBus().<FetchRequest>consumer(Addresses.fetch(node), message -> {
        boolean wantsSlice = message.headers().contains(Addresses.FILE_RECORDS_HEADER);
        askedForSlice.add(wantsSlice);
        message.reply(wantsSlice ? FetchResponse.ofFile(3, 0, 3, new FetchResponse.FileSlice(slice, 3))
            : new FetchResponse(3, 0, 3, memory(first, second)));
      });
    }
    KafkaListenerVerticle listener = new KafkaListenerVerticle((v, node) -> List.of(new FetchApi(v,
        new PartitionLeaders(v, LOCAL_NODE), null)));
    vertx.deployVerticle(listener, new DeploymentOptions().setConfig(new JsonObject().put("kafka.port", "0")
        .put("node.id", String.valueOf(LOCAL_NODE)))).await();
    port = listener.actualPort();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await();
    segment.close();
  }

  private static ByteBuffer memory(MemoryRecords... parts) {
    ByteBuffer all = ByteBuffer.allocate(java.util.Arrays.stream(parts).mapToInt(MemoryRecords::sizeInBytes).sum());
    for (MemoryRecords part : parts) {
      all.put(part.buffer().duplicate());
    }
    return all.flip();
  }

  private static org.apache.kafka.common.requests.FetchRequest fetch(int... partitions) {
    List<FetchRequestData.FetchPartition> asked = new ArrayList<>();
    for (int partition : partitions) {
      asked.add(new FetchRequestData.FetchPartition().setPartition(partition).setFetchOffset(0)
          .setPartitionMaxBytes(1 << 20));
    }
    return new org.apache.kafka.common.requests.FetchRequest(new FetchRequestData().setMaxBytes(1 << 20).setMinBytes(1)
        .setMaxWaitMs(0).setTopics(List.of(new FetchRequestData.FetchTopic().setTopic("t").setPartitions(asked))),
        (short) 12);
  }

  @Test
  void aLocalLeadersRecordsAreSentFromTheFileAsTheyAreInMemory() throws Exception {
    try (KafkaTestClient client = new KafkaTestClient(port)) {
      // both partitions in one response: header bytes, the file region, more bytes after it
      org.apache.kafka.common.requests.FetchRequest request = fetch(0, 1);
      FetchResponseData response = ((org.apache.kafka.common.requests.FetchResponse) client.call(request, 7)).data();

      assertThat(askedForSlice).containsExactly(true, false); // the remote leader was asked for bytes
      List<FetchResponseData.PartitionData> partitions = response.responses().get(0).partitions();
      assertThat(partitions).hasSize(2);
      ByteBuffer expected = memory(first, second);
      for (FetchResponseData.PartitionData partition : partitions) {
        assertThat(partition.errorCode()).isZero();
        assertThat(((MemoryRecords) partition.records()).buffer()).isEqualTo(expected);
      }
      List<String> values = new ArrayList<>();
      for (RecordBatch batch : ((MemoryRecords) partitions.get(0).records()).batches()) {
        batch.ensureValid(); // CRCs intact after the trip through sendfile
        for (Record record : batch) {
          values.add(record.offset() + ":" + record.valueSize());
        }
      }
      assertThat(values).containsExactly("0:700", "1:300", "2:4");

      // the connection goes on: the next response, framed after the region, is read whole
      FetchResponseData again = ((org.apache.kafka.common.requests.FetchResponse) client.call(fetch(0), 8)).data();
      assertThat(((MemoryRecords) again.responses().get(0).partitions().get(0).records()).buffer()).isEqualTo(expected);
    }
  }
}
