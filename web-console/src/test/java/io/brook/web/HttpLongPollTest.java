package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.web.api.ConsumeHandler;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Proves a long-polling GET .../records does not leave fetches parked at the leaders (each holds a
 * waiting-fetch slot) for long after it answered or its client left, and that long polls are bounded.
 */
class HttpLongPollTest {
  static final String TOPIC = "polled";
  /** Well under the 30 s the long polls ask for, well over a round. */
  static final Duration SOON = Duration.ofMillis(ConsumeHandler.LONG_POLL_ROUND_MS * 4L);

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  Vertx vertx;
  FakeLeader leader;
  int port;

  void start(int partitions, JsonObject config) {
    vertx = Vertx.vertx();
    HttpApiVerticle api = new HttpApiVerticle();
    vertx.deployVerticle(api, new DeploymentOptions().setConfig(config.copy().put("http.port", 0))).await();
    port = api.actualPort();
    leader = new FakeLeader(TOPIC, partitions);
    vertx.deployVerticle(leader).await();
  }

  @AfterEach
  void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  CompletableFuture<HttpResponse<String>> getAsync(String query) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/topics/" + TOPIC
        + "/records?" + query)).timeout(Duration.ofSeconds(60)).GET().build(), BodyHandlers.ofString());
  }

  @Test
  void otherPartitionsAreNotLeftParkedAfterTheFirstAnswers() throws Exception {
    start(3, new JsonObject());
    CompletableFuture<HttpResponse<String>> polled = getAsync("offset=0:0,1:0,2:0&maxWaitMs=30000");
    await().atMost(Duration.ofSeconds(5)).until(() -> leader.parked() == 3);
    leader.append(0, "first".getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> answer = polled.get();
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(new JsonObject(answer.body()).getJsonArray("records").getJsonObject(0).getString("value"))
        .isEqualTo("first");
    // partitions 1 and 2 asked for a short round, not for the 30 s: their slots come back soon
    await().atMost(SOON).until(() -> leader.parked() == 0);
    assertThat(leader.fetches).allSatisfy(fetch ->
        assertThat(fetch.maxWaitMs()).isLessThanOrEqualTo(ConsumeHandler.LONG_POLL_ROUND_MS));
  }

  @Test
  void aClientThatGoesAwayStopsTheLongPoll() throws Exception {
    start(1, new JsonObject());
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET /api/topics/" + TOPIC + "/records?partition=0&offset=0&maxWaitMs=30000 HTTP/1.1\r\n"
          + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      await().atMost(Duration.ofSeconds(5)).until(() -> leader.parked() == 1);
    } // the client hangs up mid long poll
    await().atMost(SOON).until(() -> leader.parked() == 0);
    int fetches = leader.fetches.size();
    // no new round is started for nobody: nothing is parked again for several rounds
    await().during(Duration.ofMillis(ConsumeHandler.LONG_POLL_ROUND_MS * 3L)).atMost(SOON)
        .until(() -> leader.parked() == 0 && leader.fetches.size() == fetches);
  }

  @Test
  void longPollsPerVerticleAreBounded() throws Exception {
    start(2, new JsonObject().put(WebConsoleConfig.HTTP_MAX_LONG_POLLS, 1));
    CompletableFuture<HttpResponse<String>> first = getAsync("partition=0&offset=0&maxWaitMs=30000");
    await().atMost(Duration.ofSeconds(5)).until(() -> leader.parked() == 1);

    HttpResponse<String> second = getAsync("partition=1&offset=0&maxWaitMs=3000").get();
    assertThat(second.statusCode()).as(second.body()).isEqualTo(429);
    assertThat(new JsonObject(second.body()).getString("error")).isEqualTo("THROTTLING_QUOTA_EXCEEDED");
    // a read that does not wait is never refused
    HttpResponse<String> noWait = getAsync("partition=1&offset=0").get();
    assertThat(noWait.statusCode()).as(noWait.body()).isEqualTo(200);

    leader.append(0, "done".getBytes(StandardCharsets.UTF_8));
    assertThat(first.get().statusCode()).isEqualTo(200);
  }
}
