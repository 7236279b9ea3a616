package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.cli.BrookCliEndToEndTest.Result;
import io.brook.server.ProcessCluster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bin/brook produce} of 100,000 lines through the HTTP API of a real three-broker cluster while
 * the leader of some of the topic's partitions is frozen (SIGSTOP) and then killed (SIGKILL): every line
 * is read back exactly once, and each partition holds its lines in the order they were read. The freeze
 * makes duplicates likely without producer ids: the followers copy batches the frozen leader never
 * acknowledged, and the requests pending there are sent again to the new leader, which must recognise
 * them by their sequence.
 */
@Tag("integration")
class ProduceFailoverTest {
  private static final String TOPIC = "exactly";
  private static final int PARTITIONS = 3;
  private static final int LINES = 100_000;
  private static final int BEFORE_THE_FREEZE = 30_000;

  @TempDir
  Path root;

  private ProcessCluster cluster;
  private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

  private Result brook(java.io.InputStream stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = BrookCli.commandLine(new BrookCli(stdin));
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    List<String> full = new ArrayList<>(List.of("--bootstrap", "127.0.0.1:" + cluster.httpPort(1)));
    full.addAll(List.of(args));
    int exit = line.execute(full.toArray(new String[0]));
    return new Result(exit, out.toString(), err.toString());
  }

  /** Lines from..to (inclusive), one a line. */
  private static void write(OutputStream out, int from, int to) {
    StringBuilder text = new StringBuilder();
    for (int n = from; n <= to; n++) {
      text.append(n).append('\n');
    }
    try {
      out.write(text.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void everyLineIsWrittenOnceInOrderThroughAKilledLeader() throws Exception {
    cluster = ProcessCluster.started(root, ProcessCluster.Mode.HAZELCAST, 3);
    try {
      cluster.createTopic(TOPIC, PARTITIONS, 3, Map.of("min.insync.replicas", "2"));
      Map<Integer, List<Integer>> ledBy = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        cluster.awaitFullIsr(TOPIC, p, 3);
        ledBy.computeIfAbsent(cluster.partition(TOPIC, p).leader(), id -> new ArrayList<>()).add(p);
      }
      // the CLI talks to node 1's HTTP API: the victim is another broker that leads a partition
      int victim = ledBy.keySet().stream().filter(id -> id != 1).findFirst()
          .orElseThrow(() -> new AssertionError("broker 1 leads every partition: " + ledBy));
      List<Integer> victimPartitions = ledBy.get(victim);

      PipedOutputStream feed = new PipedOutputStream();
      PipedInputStream stdin = new PipedInputStream(feed, 1 << 20);
      CompletableFuture<Result> produce = CompletableFuture.supplyAsync(() -> brook(stdin, "produce", TOPIC));
      write(feed, 1, BEFORE_THE_FREEZE);
      // mid-run: the first lines are in the victim's partitions before it freezes
      await().atMost(Duration.ofSeconds(60)).until(() -> highWatermarks(victimPartitions) > 0);
      cluster.broker(victim).freeze();
      CountDownLatch killed = new CountDownLatch(1);
      Thread killer = new Thread(() -> {
        for (int p : victimPartitions) {
          await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
              .until(() -> cluster.partition(TOPIC, p).leader(), id -> id >= 0 && id != victim);
        }
        cluster.broker(victim).kill();
        killed.countDown();
      }, "kill-the-frozen-leader");
      killer.setDaemon(true);
      killer.start();
      write(feed, BEFORE_THE_FREEZE + 1, LINES);
      feed.close();
      Result produced = produce.get(240, TimeUnit.SECONDS);
      assertThat(produced.exit()).as(produced.err()).isZero();
      assertThat(killed.await(60, TimeUnit.SECONDS)).as("the frozen leader was killed").isTrue();

      Map<Integer, Integer> seen = new HashMap<>();
      long total = 0;
      for (int p = 0; p < PARTITIONS; p++) {
        Result consumed = brook(new ByteArrayInputStream(new byte[0]), "consume", TOPIC, "--partition",
            Integer.toString(p), "--offset", "earliest", "--timeout-ms", "5000");
        assertThat(consumed.exit()).as(consumed.err()).isZero();
        List<Integer> values = consumed.lines().stream().map(Integer::parseInt).toList();
        assertThat(values).as("partition %d in the order read", p).isSorted();
        values.forEach(v -> seen.merge(v, 1, Integer::sum));
        total += values.size();
      }
      List<Integer> twice = seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted()
          .limit(20).toList();
      System.out.printf("brook produce failover: broker %d (partitions %s) frozen then killed; %d lines read back, "
          + "%d distinct; %d warning line(s)%n", victim, victimPartitions, total, seen.size(),
          produced.errLines().stream().filter(l -> l.startsWith("Warning:")).count());
      assertThat(twice).as("lines written twice").isEmpty();
      assertThat(seen).as("every line").hasSize(LINES);
      assertThat(total).isEqualTo(LINES);
    } finally {
      cluster.close();
    }
  }

  /** The sum of the partitions' latest offsets (high watermarks), as node 1's HTTP API answers them. */
  private long highWatermarks(List<Integer> partitions) throws Exception {
    long sum = 0;
    for (int p : partitions) {
      java.net.http.HttpResponse<String> answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
              "http://127.0.0.1:" + cluster.httpPort(1) + "/api/topics/" + TOPIC + "/partitions/" + p + "/offsets"))
          .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      sum += new io.vertx.core.json.JsonObject(answer.body()).getLong("latest");
    }
    return sum;
  }
}
