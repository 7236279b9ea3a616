package io.brook.replication.sim;

import io.brook.replication.ReplicationConfig;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * One run's knobs, drawn from its seed so that seeds cover calm and hostile runs alike: network
 * loss, duplication and delays, how often faults strike, {@code min.insync.replicas}, the lag
 * bound. Times are simulated milliseconds, scaled down from production (a session timeout of
 * 600 ms instead of 9 s) so a run covers many failovers.
 */
record SimParams(
    double dropRate, double duplicateRate, double slowRate, long maxDelayMs, long slowDelayMs,
    long faultPhaseMs, long meanFaultIntervalMs, long maxDowntimeMs, long maxFreezeMs, long maxCutMs,
    int minInsyncReplicas, long replicaLagTimeMaxMs, long sessionTimeoutMs, long heartbeatIntervalMs,
    long tickMs, long sessionCheckMs, long acksTimeoutMs, long producerTimeoutMs, long maxProduceGapMs,
    int fetchMaxBytes, long produceAfterHealMs, long convergeDeadlineMs, double strikeRate) {

    static SimParams random(long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
        boolean calm = r.nextInt(8) == 0;
        return new SimParams(
            calm ? 0 : r.nextDouble() * 0.15,
            calm ? 0 : r.nextDouble() * 0.03,
            r.nextDouble() * 0.05,
            2 + r.nextInt(15),
            100 + r.nextInt(700),
            3_000 + r.nextInt(9_000),
            calm ? 5_000 : 150 + r.nextInt(1_200),
            100 + r.nextInt(2_500),
            200 + r.nextInt(3_000),
            200 + r.nextInt(3_000),
            r.nextInt(4) == 0 ? 1 : 2,
            200 + r.nextInt(1_500),
            600,
            100,
            10,
            50,
            1_000,
            2_000,
            1 + r.nextInt(40),
            300 + r.nextInt(4_000),
            1_500,
            30_000,
            calm ? 0 : r.nextDouble() * 0.4);
    }

    /** A quiet network (no loss, 1-3 ms delays) for the hand-written scenarios, which script their faults. */
    static SimParams calm(int minInsyncReplicas, long replicaLagTimeMaxMs) {
        return new SimParams(0, 0, 0, 3, 3, 0, Long.MAX_VALUE, 0, 0, 0, minInsyncReplicas, replicaLagTimeMaxMs,
            600, 100, 10, 50, 1_000, 2_000, 10, 4_096, 0, 30_000, 0);
    }

    ReplicationConfig replicationConfig() {
        return ReplicationConfig.fromMap(Map.of(
            ReplicationConfig.MIN_INSYNC_REPLICAS_CONFIG, minInsyncReplicas,
            ReplicationConfig.REPLICA_LAG_TIME_MAX_MS_CONFIG, replicaLagTimeMaxMs,
            ReplicationConfig.REPLICA_FETCH_BACKOFF_MS_CONFIG, 50L,
            ReplicationConfig.REPLICA_SOCKET_TIMEOUT_MS_CONFIG, 300L,
            ReplicationConfig.REPLICA_FETCH_IDLE_BACKOFF_MS_CONFIG, 10L,
            ReplicationConfig.ALTER_PARTITION_RETRY_BACKOFF_MS_CONFIG, 200L));
    }
}
