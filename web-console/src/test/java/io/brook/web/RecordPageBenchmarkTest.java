package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The message browser's page benchmark (issue 10: a page of 1,000 records of 1 KiB from one broker
 * under 300 ms): prints the time of GET .../records?limit=1000, plain and as a search whose filter
 * every record matches, over a real broker. A figure to read, not a timed assertion: it checks only
 * that the pages are whole.
 */
@Tag("benchmark")
class RecordPageBenchmarkTest {
  static final int RECORDS = 1_000;
  static final int VALUE_BYTES = 1_024;
  static final int RUNS = 15;

  @TempDir
  static Path dataDir;

  @Test
  void aPageOfAThousandOneKibRecords() {
    try (BrookNode node = new BrookNode(dataDir)) {
      HttpResponse<String> created = node.post("/api/topics", "{\"name\":\"page-bench\",\"partitions\":1}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String filler = "x".repeat(VALUE_BYTES);
      JsonArray records = new JsonArray();
      for (int i = 0; i < RECORDS; i++) {
        records.add(new JsonObject().put("key", "k" + i).put("value", String.format("%08d-match-%s", i, filler)
            .substring(0, VALUE_BYTES)));
      }
      HttpResponse<String> produced = node.post("/api/topics/page-bench/records",
          new JsonObject().put("records", records).encode());
      assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);
      report("plain page ", node, "/api/topics/page-bench/records?partition=0&limit=1000");
      report("search page", node, "/api/topics/page-bench/records?partition=0&limit=1000&filter=-match-");
    }
  }

  private static void report(String what, BrookNode node, String path) {
    long[] ms = new long[RUNS];
    int bytes = 0;
    for (int warm = 0; warm < 3; warm++) {
      node.get(path);
    }
    for (int run = 0; run < RUNS; run++) {
      long startNs = System.nanoTime();
      HttpResponse<String> page = node.get(path);
      ms[run] = (System.nanoTime() - startNs) / 1_000_000;
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      assertThat(new JsonObject(page.body()).getJsonArray("records")).hasSize(RECORDS);
      bytes = page.body().length();
    }
    Arrays.sort(ms);
    System.out.printf("record page benchmark, %s: %d records of %d B (%d KiB of JSON): median %d ms, p90 %d ms, max %d ms"
        + " over %d runs%n", what, RECORDS, VALUE_BYTES, bytes / 1024, ms[RUNS / 2], ms[(int) (RUNS * 0.9)], ms[RUNS - 1], RUNS);
  }
}
