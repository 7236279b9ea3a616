package io.brook.replication.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * Proves the replication invariants ({@link Invariants}) hold over thousands of seeded runs with
 * message loss, reordering, duplication, crashes, restarts, freezes and network partitions.
 *
 * <p>{@code -Dbrook.sim.seed=N} reruns one seed with the event trail printed;
 * {@code -Dbrook.sim.seeds=N} and {@code -Dbrook.sim.firstSeed=N} choose the range;
 * {@code -Dbrook.sim.realLogSeeds=N} how many seeds run on real PartitionLogs.
 */
class ReplicationSimulationTest {

    private static final int DEFAULT_SEEDS = 5_000;
    private static final int REAL_LOG_SEEDS = Integer.getInteger("brook.sim.realLogSeeds", 40);

    @Test
    void seededRunsKeepEveryInvariant() throws Exception {
        Long single = Long.getLong("brook.sim.seed");
        if (single != null) {
            runOneTraced(single);
            return;
        }
        int seeds = Integer.getInteger("brook.sim.seeds", DEFAULT_SEEDS);
        long first = Long.getLong("brook.sim.firstSeed", 1L);
        runMany(first, seeds, seed -> Simulation.run(seed, false, id -> new MemoryLog()), "in-memory logs");
    }

    @Test
    void seededRunsOnRealPartitionLogs(@TempDir Path root) throws Exception {
        if (Long.getLong("brook.sim.seed") != null) {
            return;
        }
        long first = Long.getLong("brook.sim.firstSeed", 1L) + 1_000_000;
        runMany(first, REAL_LOG_SEEDS, seed -> Simulation.run(seed, false,
            id -> new PartitionLogReplica(root.resolve(seed + "-" + id))), "real PartitionLogs");
    }

    interface SeedRun {
        SimStats run(long seed);
    }

    private static void runMany(long first, int seeds, SeedRun run, String what) throws Exception {
        long startNs = System.nanoTime();
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<SimStats>> results = new ArrayList<>();
        for (long seed = first; seed < first + seeds; seed++) {
            long s = seed;
            results.add(pool.submit(() -> run.run(s)));
        }
        pool.shutdown();
        SimStats total = new SimStats();
        List<SimulationFailure> failures = Collections.synchronizedList(new ArrayList<>());
        for (Future<SimStats> result : results) {
            try {
                total.add(result.get());
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof SimulationFailure failure) {
                    failures.add(failure);
                } else {
                    throw e;
                }
            }
        }
        pool.awaitTermination(1, TimeUnit.MINUTES);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        System.out.printf("Replication simulation on %s: seeds %d..%d in %d ms: %s%n", what, first, first + seeds - 1, ms,
            total);
        if (!failures.isEmpty()) {
            failures.sort((a, b) -> Long.compare(a.seed, b.seed));
            StringBuilder text = new StringBuilder(failures.size() + " of " + seeds + " seeds failed: ");
            failures.forEach(f -> text.append(f.seed).append(' '));
            SimulationFailure firstFailure = failures.get(0);
            System.out.println(text + "\nFirst failure: " + firstFailure.getMessage() + "\n" + firstFailure.details);
            firstFailure.getCause().printStackTrace(System.out);
            fail(text + "\n" + firstFailure.getMessage(), firstFailure);
        }
    }

    private static void runOneTraced(long seed) {
        System.out.println("Seed " + seed + ": " + SimParams.random(seed));
        try {
            SimStats stats = Simulation.run(seed, true, id -> new MemoryLog());
            System.out.println("Seed " + seed + " passed: " + stats);
        } catch (SimulationFailure failure) {
            System.out.println(failure.getMessage() + "\n" + failure.details);
            throw failure;
        }
    }
}
