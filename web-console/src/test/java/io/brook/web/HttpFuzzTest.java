package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded fuzz of the HTTP API over raw sockets: mutated methods, paths, query parameters, headers
 * and bodies get an HTTP answer that is never a 5xx other than 503, leave no SEVERE line or stack
 * trace in the log, and a good request is served after every batch. {@code -Dbrook.fuzz.seed=N}
 * replays a failure, {@code -Dbrook.fuzz.http.cases=N} runs longer.
 */
class HttpFuzzTest {
  static final int MAX_BODY = 16 * 1024;
  static final int CASES = Integer.getInteger("brook.fuzz.http.cases", 10_000);
  static final int BATCH = 250;

  @TempDir
  static Path dataDir;
  static BrookNode node;

  @BeforeAll
  static void start() {
    node = new BrookNode(dataDir, new JsonObject().put("http.max.body.bytes", MAX_BODY)
        .put("http.request.read.timeout.ms", 2000));
    HttpResponse<String> created = node.post("/api/topics", "{\"name\":\"" + HttpRequestFuzzer.TOPIC
        + "\",\"partitions\":2}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void mutatedRequestsGetNo5xxAndTheNodeServesOn() throws IOException {
    long seed = Long.getLong("brook.fuzz.seed", System.nanoTime());
    HttpRequestFuzzer fuzzer = new HttpRequestFuzzer(seed, MAX_BODY);
    Map<Integer, Integer> statuses = new TreeMap<>();
    long startNs = System.nanoTime();
    try (LogCapture log = new LogCapture()) {
      for (int done = 0; done < CASES; ) {
        for (int i = 0; i < BATCH && done < CASES; i++, done++) {
          HttpRequestFuzzer.Case fuzz = fuzzer.next();
          String response;
          try {
            response = RawHttp.exchange(node.httpPort, fuzz.bytes());
          } catch (IOException e) {
            throw new AssertionError("seed " + seed + ", case " + done + ": " + fuzz.summary() + ": " + e + "\nrequest head: "
                + new String(fuzz.bytes(), 0, Math.min(fuzz.bytes().length, 600), java.nio.charset.StandardCharsets.ISO_8859_1), e);
          }
          int status = RawHttp.status(response);
          statuses.merge(status, 1, Integer::sum);
          String where = "seed " + seed + ", case " + done + ": " + fuzz.summary() + "\n-> "
              + response.substring(0, Math.min(response.length(), 400));
          assertThat(status).as(where).isPositive();
          assertThat(status >= 500 && status != 503).as(where).isFalse();
        }
        HttpResponse<String> good = node.get("/api/topics");
        assertThat(good.statusCode()).as("seed %d after %d cases: %s", seed, done, good.body()).isEqualTo(200);
        assertThat(log.severeOrTraced()).as("seed %d after %d cases: %s", seed, done,
            LogCapture.describe(log.severeOrTraced())).isEmpty();
      }
    }
    System.out.printf("HTTP fuzz: %d requests in %d ms, seed %d, statuses %s%n", CASES,
        (System.nanoTime() - startNs) / 1_000_000, seed, statuses);
  }
}
