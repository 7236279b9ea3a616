package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a timed test: how long the console's first topics page takes with 10,000 topics on one
 * real broker. Prints the figures; asserts only the answers' shape. Run it with
 * {@code mvn -o test -pl web-console -Dtest=TopicsPageBenchmark -Dbrook.bench=true
 * [-Dbrook.bench.topics=10000]}.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "brook.bench", matches = "true")
class TopicsPageBenchmark {
  @TempDir
  Path dataDir;

  @Test
  void firstPageOfTenThousandTopics() throws Exception {
    int topics = Integer.getInteger("brook.bench.topics", 10_000);
    try (BrookNode node = new BrookNode(dataDir)) {
      long createStartNs = System.nanoTime();
      createTopics(node, topics);
      System.out.printf("created %d topics in %.1f s%n", topics, (System.nanoTime() - createStartNs) / 1e9);

      time(node, "unpaged list (CLI form)", "/api/topics", 1);
      long coldStartNs = System.nanoTime();
      JsonObject coldPage = node.getJson("/api/topics?page=1&pageSize=50");
      double cold = (System.nanoTime() - coldStartNs) / 1e6;
      System.out.printf("%-40s %.1f ms, figures %s%n", "first page, sampler idle", cold,
          coldPage.getLong("sampledAt") < 0 ? "not sampled yet (sampledAt -1)" : "sampled");
      double[] warm = time(node, "first page, sampler running", "/api/topics?page=1&pageSize=50", 30);
      time(node, "search + sort by sizeBytes desc", "/api/topics?search=7&sort=sizeBytes&order=desc&pageSize=100", 30);
      JsonObject page = node.getJson("/api/topics?page=1&pageSize=50");
      assertThat(page.getInteger("total")).isGreaterThanOrEqualTo(topics);
      assertThat(page.getJsonArray("topics")).hasSize(50);
      System.out.printf("FIGURE topics=%d firstPageColdMs=%.1f firstPageWarmMedianMs=%.1f firstPageWarmMaxMs=%.1f%n",
          topics, cold, warm[warm.length / 2], warm[warm.length - 1]);
    }
  }

  /** Sorted latencies in ms of {@code runs} sequential GETs; prints median and max. */
  private static double[] time(BrookNode node, String what, String path, int runs) {
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long startNs = System.nanoTime();
      HttpResponse<String> response = node.get(path);
      ms[i] = (System.nanoTime() - startNs) / 1e6;
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
    Arrays.sort(ms);
    System.out.printf("%-40s runs=%d median=%.1f ms max=%.1f ms%n", what, runs, ms[runs / 2], ms[runs - 1]);
    return ms;
  }

  /** Creates topics 16 at a time over HTTP (the way the console would). */
  private static void createTopics(BrookNode node, int count) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Semaphore inFlight = new Semaphore(16);
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      HttpRequest request = HttpRequest.newBuilder(node.uri("/api/topics"))
          .POST(BodyPublishers.ofString(new JsonObject().put("name", String.format("bench-%05d", i))
              .put("partitions", 1).encode()))
          .header("content-type", "application/json").build();
      all.add(http.sendAsync(request, BodyHandlers.ofString()).whenComplete((r, e) -> inFlight.release()));
    }
    for (CompletableFuture<HttpResponse<String>> created : all) {
      assertThat(created.get().statusCode()).as(created.get().body()).isEqualTo(201);
    }
  }
}
