package io.brook.bench;

import io.brook.protocol.Addresses;
import io.brook.protocol.GroupApi;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.protocol.message.FindCoordinatorRequest;
import io.brook.protocol.message.FindCoordinatorResponse;
import io.brook.protocol.message.OffsetCommitRequest;
import io.brook.protocol.message.OffsetCommitResponse;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code perf commit}: the group coordinators' offset commit rate. {@code --groups} groups each
 * commit an offset of the topic's partition 0, one commit after the other (each answered once its
 * record is committed in {@code __consumer_offsets}, acks=all), for {@code --duration-ms} after a
 * {@code --warmup-ms} warm-up, and it prints:
 * <pre>N commits, R commits/sec, latency p50 X ms, p99 Y ms, max Z ms (G groups on coordinators {id: groups})</pre>
 * The groups commit outside group management (generation -1, as a tool does): the coordinator's
 * write path is the same as a member's.
 */
@Command(name = "commit", mixinStandardHelpOptions = true,
    description = "Offset commit rate and latency of the group coordinators.")
public final class CommitPerf implements Callable<Integer> {
  @Mixin
  PerfOptions perf;

  @Option(names = "--groups", defaultValue = "100", description = "Groups committing at once (default: ${DEFAULT-VALUE}).")
  int groups;

  @Option(names = "--duration-ms", defaultValue = "10000", description = "How long to measure (default: ${DEFAULT-VALUE}).")
  long durationMs;

  @Option(names = "--warmup-ms", defaultValue = "2000", description = "Commits before this are not counted (default: ${DEFAULT-VALUE}).")
  long warmupMs;

  /** The run's figures; owned by the one context every group's loop runs on. */
  private static final class Run {
    final List<Long> micros = new ArrayList<>();
    long measureFromNs;
    long measureUntilNs;
    int running;
    Throwable failure;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = perf.out();
    try (PerfSession session = perf.join()) {
      BrookCodecs.register(session.vertx.eventBus());
      perf.ensureTopic(session);
      Map<Integer, Integer> coordinators = new TreeMap<>();
      int[] nodeOf = new int[groups];
      for (int g = 0; g < groups; g++) {
        nodeOf[g] = coordinator(session, group(g));
        coordinators.merge(nodeOf[g], 1, Integer::sum);
      }
      Context context = session.newContext();
      Run run = new Run();
      Promise<Void> done = Promise.promise();
      context.runOnContext(v -> {
        long now = System.nanoTime();
        run.measureFromNs = now + TimeUnit.MILLISECONDS.toNanos(warmupMs);
        run.measureUntilNs = run.measureFromNs + TimeUnit.MILLISECONDS.toNanos(durationMs);
        run.running = groups;
        for (int g = 0; g < groups; g++) {
          commitLoop(session, run, g, nodeOf[g], 0, done);
        }
      });
      done.future().await();
      if (run.failure != null) {
        throw new IllegalStateException("a commit failed", run.failure);
      }
      List<Long> sorted = run.micros.stream().sorted().toList();
      out.printf(Locale.ROOT, "%d commits, %.1f commits/sec, latency p50 %.2f ms, p99 %.2f ms, max %.2f ms "
              + "(%d groups on coordinators %s)%n", sorted.size(), sorted.size() * 1000.0 / durationMs,
          Percentiles.of(sorted, 0.50) / 1000.0, Percentiles.of(sorted, 0.99) / 1000.0,
          sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1000.0, groups, coordinators);
      out.flush();
      return 0;
    }
  }

  private static String group(int g) {
    return "perf-commit-" + g;
  }

  private static int coordinator(PerfSession session, String group) {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      try {
        FindCoordinatorResponse found = session.vertx.eventBus().<FindCoordinatorResponse>request(
            Addresses.FIND_COORDINATOR, FindCoordinatorRequest.group(group), new DeliveryOptions().setSendTimeout(5_000))
            .await().body();
        if (found.error() == null) {
          return found.nodeId();
        }
      } catch (RuntimeException notYet) {
        // a broker still starting: ask again
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("no coordinator for " + group + " within 60 s");
      }
      session.pause(100);
    }
  }

  private void commitLoop(PerfSession session, Run run, int g, int node, long offset, Promise<Void> done) {
    long startNs = System.nanoTime();
    if (startNs >= run.measureUntilNs || run.failure != null) {
      if (--run.running == 0) {
        done.complete();
      }
      return;
    }
    OffsetCommitRequest request = new OffsetCommitRequest(group(g), -1, "", null,
        List.of(new OffsetCommitRequest.Offset(perf.topicName(), 0, offset, -1, "")));
    session.vertx.eventBus().<OffsetCommitResponse>request(GroupApi.OFFSET_COMMIT.address(node), request,
        new DeliveryOptions().setSendTimeout(30_000)).onComplete(reply -> {
          long endNs = System.nanoTime();
          if (reply.failed() || reply.result().body().partitions().get(0).error() != null) {
            run.failure = reply.failed() ? reply.cause()
                : new IllegalStateException(reply.result().body().partitions().get(0).error());
          } else if (startNs >= run.measureFromNs) {
            run.micros.add(TimeUnit.NANOSECONDS.toMicros(endNs - startNs));
          }
          commitLoop(session, run, g, node, offset + 1, done);
        });
  }

}
