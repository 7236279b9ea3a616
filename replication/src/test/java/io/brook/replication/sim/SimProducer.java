package io.brook.replication.sim;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A producer with one request in flight, acks=1 or acks=all. Every request carries records with
 * unique values ("p&lt;producer&gt;.&lt;request&gt;.&lt;n&gt;"), so an acknowledgement names exactly
 * which batch must be at the acknowledged offset. It finds the leader by asking the controller and
 * asks again after any error or timeout; a retry is a new request (no idempotence here).
 */
final class SimProducer implements SimNetwork.Endpoint {

    private record InFlight(long requestId, List<String> values, long sentAtMs) {}

    private final int id;
    private final short acks;
    private final SimWorld world;
    private final SimNetwork network;
    private final SimParams params;
    private final Invariants invariants;
    private int leaderGuess = -1;
    private long lastMetadataRequestMs = Long.MIN_VALUE / 2;
    private long nextRequestId;
    private InFlight inFlight;
    private long nextSendAtMs;
    private boolean active = true;

    SimProducer(int id, short acks, SimWorld world, SimNetwork network, SimParams params, Invariants invariants) {
        this.id = id;
        this.acks = acks;
        this.world = world;
        this.network = network;
        this.params = params;
        this.invariants = invariants;
    }

    void start() {
        world.after(params.tickMs(), this::tick);
    }

    void stop() {
        active = false;
    }

    private void tick() {
        long now = world.nowMs();
        if (inFlight != null && now - inFlight.sentAtMs() > params.producerTimeoutMs()) {
            inFlight = null; // the outcome is unknown: it may or may not be in the log
            leaderGuess = -1;
        }
        if (inFlight == null && active && now >= nextSendAtMs) {
            if (leaderGuess < 0) {
                requestMetadata();
            } else {
                send();
            }
        }
        world.after(params.tickMs(), this::tick);
    }

    private void requestMetadata() {
        if (world.nowMs() - lastMetadataRequestMs >= 100) {
            lastMetadataRequestMs = world.nowMs();
            network.send(id, SimController.ID, new Messages.MetadataRequest());
        }
    }

    private void send() {
        long requestId = nextRequestId++;
        int count = 1 + (int) world.between(0, 2);
        List<String> values = new ArrayList<>(count);
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            values.add("p" + id + "." + requestId + "." + i);
            records[i] = new SimpleRecord(world.nowMs(), null, values.get(i).getBytes(StandardCharsets.UTF_8));
        }
        inFlight = new InFlight(requestId, values, world.nowMs());
        network.send(id, leaderGuess, new Messages.Produce(requestId, acks,
            MemoryRecords.withRecords(Compression.NONE, records), params.acksTimeoutMs()));
    }

    @Override
    public void receive(int from, Object message) {
        if (message instanceof Messages.MetadataReply reply) {
            leaderGuess = reply.state().leaderId();
        } else if (message instanceof Messages.ProduceReply reply) {
            onProduceReply(reply);
        } else {
            throw new IllegalArgumentException("producer " + id + " got " + message);
        }
    }

    private void onProduceReply(Messages.ProduceReply reply) {
        if (inFlight == null || reply.requestId() != inFlight.requestId()) {
            return; // a duplicate, or the answer to a request given up on
        }
        if (reply.error() == Errors.NONE) {
            world.trace(() -> "P" + id + " acks=" + acks + " acknowledged " + inFlight.values() + " at " + reply.baseOffset());
            if (acks == -1) {
                invariants.onAcksAllAcknowledged(reply.baseOffset(), inFlight.values());
            } else {
                invariants.onAcksOneAcknowledged(reply.baseOffset(), inFlight.values());
            }
        } else {
            leaderGuess = -1;
        }
        inFlight = null;
        nextSendAtMs = world.nowMs() + world.between(0, params.maxProduceGapMs());
    }
}
