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
import io.vertx.core.Vertx;
import java.util.List;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fetch's {@code max_bytes}: partitions' records in order while they fit, the first non-empty one always. */
class FetchApiTest {
  private static final MemoryRecords RECORDS = MemoryRecords.withRecords(Compression.NONE,
      new SimpleRecord(new byte[400]), new SimpleRecord(new byte[400]));

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    BrookCodecs.register(vertx.eventBus());
    vertx.eventBus().consumer(Addresses.metadata(1), message -> message.reply(new MetadataResponse(1,
        List.of(new BrokerInfo(1, "h", 1, -1)), List.of(new TopicMetadata("t", null, (short) 1, List.of(
            new PartitionMetadata(0, 1, 0, List.of(1), List.of(1)), new PartitionMetadata(1, 1, 0, List.of(1), List.of(1))))))));
    // the leader: records from offset 0, nothing after
    vertx.eventBus().<FetchRequest>consumer(Addresses.fetch(1), message -> message.reply(new FetchResponse(2, 0, 2,
        message.body().fetchOffset() == 0 ? RECORDS.buffer().duplicate() : java.nio.ByteBuffer.allocate(0))));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private List<Integer> recordBytesPerPartition(int maxBytes) throws Exception {
    FetchRequestData data = new FetchRequestData().setMaxBytes(maxBytes).setMinBytes(1).setMaxWaitMs(0)
        .setTopics(List.of(new FetchRequestData.FetchTopic().setTopic("t").setPartitions(List.of(
            new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1 << 20),
            new FetchRequestData.FetchPartition().setPartition(1).setFetchOffset(0).setPartitionMaxBytes(1 << 20)))));
    org.apache.kafka.common.requests.FetchRequest request = new org.apache.kafka.common.requests.FetchRequest(data, (short) 12);
    FetchApi api = new FetchApi(vertx, new PartitionLeaders(vertx, 1), null);
    FetchResponseData response = ((org.apache.kafka.common.requests.FetchResponse) api
        .handle(TestRequests.of(request)).await()).data();
    return response.responses().get(0).partitions().stream()
        .map(p -> ((MemoryRecords) p.records()).sizeInBytes()).toList();
  }

  @Test
  void recordsAreKeptWhileTheyFitTheFirstAlways() throws Exception {
    int one = RECORDS.sizeInBytes();
    assertThat(recordBytesPerPartition(10 * one)).containsExactly(one, one);
    assertThat(recordBytesPerPartition(one + one / 2)).containsExactly(one, 0);
    assertThat(recordBytesPerPartition(10)).containsExactly(one, 0); // larger than the limit: still returned
  }
}
