package io.brook.replication.sim;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A producer the scenarios drive by hand: it sends one batch to a chosen broker and keeps the
 * answer, so a test can say exactly what was acknowledged and what was not.
 */
final class TestClient implements SimNetwork.Endpoint {

    static final int ID = 300;

    /** The fate of one produce request: no answer yet, or the error and offset it got. */
    static final class Result {
        final int acks;
        final List<String> values;
        Errors error;
        long baseOffset = -1;

        Result(int acks, List<String> values) {
            this.acks = acks;
            this.values = values;
        }

        boolean answered() {
            return error != null;
        }

        boolean acknowledged() {
            return error == Errors.NONE;
        }

        @Override
        public String toString() {
            return error == null ? "no answer" : error + "@" + baseOffset;
        }
    }

    private final SimCluster cluster;
    private final Map<Long, Result> results = new HashMap<>();
    private long nextRequestId;

    TestClient(SimCluster cluster) {
        this.cluster = cluster;
        cluster.network.register(ID, this);
    }

    /** Sends {@code values} as one batch to {@code broker} with {@code acks} (1 or -1). */
    Result produce(int broker, int acks, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(cluster.world.nowMs(), null, values[i].getBytes(StandardCharsets.UTF_8));
        }
        long requestId = nextRequestId++;
        Result result = new Result(acks, List.of(values));
        results.put(requestId, result);
        cluster.network.send(ID, broker, new Messages.Produce(requestId, (short) acks,
            MemoryRecords.withRecords(Compression.NONE, records), cluster.params.acksTimeoutMs()));
        return result;
    }

    @Override
    public void receive(int from, Object message) {
        if (message instanceof Messages.ProduceReply reply) {
            Result result = results.get(reply.requestId());
            if (result.answered()) {
                return;
            }
            result.error = reply.error();
            result.baseOffset = reply.baseOffset();
            if (result.acknowledged() && result.acks == -1) {
                cluster.invariants.onAcksAllAcknowledged(result.baseOffset, result.values);
            }
        }
    }
}
