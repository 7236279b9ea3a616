package io.brook.verticles.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.codec.BrookCodecs;
import io.brook.quorum.QuorumMessages;
import io.brook.verticles.LocalCodecs;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every metadata quorum message crosses the wire unchanged, a fetch answer's record bytes included. */
class QuorumCodecsTest {
  @Test
  void everyQuorumMessageRoundTripsThroughItsWireCodec() {
    byte[] batch = {0, 1, 2, 3, 4, 5, (byte) 200, 127};
    List<Object> messages = List.of(
        new QuorumMessages.QuorumVoteRequest("cluster-id", 1, "dir1", 2, "dir2", 7, 6, 120L, true),
        new QuorumMessages.QuorumVoteResponse((short) 0, 7, -1, true, true),
        new QuorumMessages.QuorumBeginEpoch("cluster-id", 7, 1),
        new QuorumMessages.QuorumFetchRequest("cluster-id", 3, "dir3", 7, 120L, 6, 118L, 1 << 20, 500L, 99L),
        new QuorumMessages.QuorumStatus("cluster-id", 2, 7, 1, "bus-node-2", 3),
        new QuorumMessages.QuorumStatus(null, 4, 0, -1, "bus-node-4", 0));
    for (Object message : messages) {
      assertThat(roundTrip(message)).as(message.getClass().getSimpleName()).isEqualTo(message);
    }
    QuorumMessages.QuorumFetchResponse response = new QuorumMessages.QuorumFetchResponse((short) 0, 7, 1, 118L, -1, -1L,
        ByteBuffer.wrap(batch), 5_000L);
    QuorumMessages.QuorumFetchResponse decoded = roundTrip(response);
    byte[] bytes = new byte[decoded.records().remaining()];
    decoded.records().duplicate().get(bytes);
    assertThat(bytes).containsExactly(batch);
    assertThat(decoded.highWatermark()).isEqualTo(118L);
    assertThat(decoded.sentAtMs()).isEqualTo(5_000L);
    java.util.Set<Class<?>> tested = new java.util.HashSet<>();
    messages.forEach(m -> tested.add(m.getClass()));
    tested.add(QuorumMessages.QuorumFetchResponse.class);
    assertThat(LocalCodecs.QUORUM_MESSAGES).containsExactlyInAnyOrderElementsOf(tested);
  }

  @Test
  void aStatusFromABrokerBeforeTheVoterCountReadsAsZeroVoters() {
    byte[] json = "{\"clusterId\":\"cluster-id\",\"nodeId\":2,\"epoch\":7,\"leaderId\":1,\"eventBusNodeId\":\"n\"}"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Buffer wire = Buffer.buffer().appendByte((byte) 1).appendInt(json.length).appendBytes(json);
    QuorumMessages.QuorumStatus status = BrookCodecs.jsonCodec(QuorumMessages.QuorumStatus.class).decodeFromWire(0, wire);
    assertThat(status).isEqualTo(new QuorumMessages.QuorumStatus("cluster-id", 2, 7, 1, "n", 0));
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T message) {
    MessageCodec<T, T> codec = BrookCodecs.jsonCodec((Class<T>) message.getClass());
    Buffer buffer = Buffer.buffer();
    codec.encodeToWire(buffer, message);
    return codec.decodeFromWire(0, buffer);
  }
}
