package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.ProduceResponse;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A leader that dies with requests pending never answers them (the event bus does not fail a request
 * whose recipient is gone). The HTTP API notices the new leader in metadata instead of waiting out its
 * timeouts: a pending produce fails with NOT_LEADER_OR_FOLLOWER (not retried: it may have been
 * written) unless its batch carries a producer id, a pending read is retried on the new leader. Brokers are fakes: node 3 swallows every
 * request, node 1 answers.
 */
class HttpLeaderMovedTest {
  static final String TOPIC = "moving";
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final AtomicReference<PartitionMetadata> partition = new AtomicReference<>(leadBy(3, 0));
  final AtomicInteger swallowed = new AtomicInteger();
  final AtomicInteger answeredByNewLeader = new AtomicInteger();
  final AtomicInteger newLeaderDelayMs = new AtomicInteger();
  Vertx vertx;
  int port;

  static PartitionMetadata leadBy(int leader, int epoch) {
    return new PartitionMetadata(0, leader, epoch, List.of(3, 1), List.of(3, 1));
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    HttpApiVerticle api = new HttpApiVerticle();
    vertx.deployVerticle(api, new DeploymentOptions().setConfig(new JsonObject().put("http.port", 0)
        .put("http.request.timeout.ms", 4_000).put("http.metadata.max.age.ms", 60_000))).await();
    port = api.actualPort();
    vertx.eventBus().consumer(Addresses.METADATA, m -> m.reply(new MetadataResponse(1, List.of(),
        List.of(new TopicMetadata(TOPIC, null, (short) 2, List.of(partition.get()))))));
    vertx.eventBus().consumer(Addresses.produce(3), m -> swallowed.incrementAndGet());
    vertx.eventBus().consumer(Addresses.fetch(3), m -> swallowed.incrementAndGet());
    vertx.eventBus().consumer(Addresses.produce(1), m -> {
      answeredByNewLeader.incrementAndGet();
      vertx.setTimer(Math.max(1, newLeaderDelayMs.get()), t -> m.reply(new ProduceResponse(7, -1, 0)));
    });
    vertx.eventBus().consumer(Addresses.fetch(1), m -> {
      answeredByNewLeader.incrementAndGet();
      m.reply(new FetchResponse(0, 0, 0, ByteBuffer.allocate(0)));
    });
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  CompletableFuture<HttpResponse<String>> send(HttpRequest.Builder request) {
    return http.sendAsync(request.timeout(Duration.ofSeconds(60)).build(), BodyHandlers.ofString());
  }

  CompletableFuture<HttpResponse<String>> produce(int timeoutMs) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/topics/" + TOPIC + "/records"))
        .header("content-type", "application/json")
        .POST(BodyPublishers.ofString("{\"timeoutMs\":" + timeoutMs + ",\"records\":[{\"value\":\"x\"}]}")));
  }

  void awaitSwallowed(int count) {
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> swallowed.get() == count);
  }

  @Test
  void aProducePendingAtALeaderThatLostThePartitionFailsSoonAndIsNotRetried() throws Exception {
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<String>> pending = produce(30_000);
    awaitSwallowed(1);
    partition.set(leadBy(1, 1));

    HttpResponse<String> answer = pending.get();
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
    JsonObject body = new JsonObject(answer.body());
    assertThat(body.getString("error")).isEqualTo("NOT_LEADER_OR_FOLLOWER");
    assertThat(body.getString("message")).contains("broker 3").contains("broker 1 leads").contains("may or may not");
    assertThat(tookMs).as("well before the 30 s + 4 s the request would wait").isLessThan(10_000);
    assertThat(answeredByNewLeader.get()).as("a produce is not sent again by the API").isZero();

    // the next produce goes to the new leader at once
    HttpResponse<String> next = produce(30_000).get();
    assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
    assertThat(answeredByNewLeader.get()).isEqualTo(1);
  }

  @Test
  void anIdempotentProducePendingAtALeaderThatLostThePartitionIsRetriedOnTheNewOne() throws Exception {
    // its batch carries a producer id and sequence: the new leader drops it if the old one's copy reached it
    CompletableFuture<HttpResponse<String>> pending = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + port + "/api/topics/" + TOPIC + "/records")).header("content-type", "application/json")
        .POST(BodyPublishers.ofString("{\"partition\":0,\"producerId\":12,\"producerEpoch\":0,\"baseSequence\":0,"
            + "\"records\":[{\"value\":\"x\"}]}")));
    awaitSwallowed(1);
    partition.set(leadBy(1, 1));

    HttpResponse<String> answer = pending.get();
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(new JsonObject(answer.body()).getJsonArray("offsets").getJsonObject(0).getLong("offset")).isEqualTo(7L);
    assertThat(answeredByNewLeader.get()).isEqualTo(1);
  }

  @Test
  void aReadPendingAtALeaderThatLostThePartitionIsRetriedOnTheNewOne() throws Exception {
    CompletableFuture<HttpResponse<String>> pending = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + port + "/api/topics/" + TOPIC + "/records?partition=0&offset=0")).GET());
    awaitSwallowed(1);
    partition.set(leadBy(1, 1));

    HttpResponse<String> answer = pending.get();
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(new JsonObject(answer.body()).getJsonArray("records")).isEmpty();
    assertThat(answeredByNewLeader.get()).isEqualTo(1);
  }

  @Test
  void aDeadBrokerPickedForAMetadataRequestOnlyDelaysIt() throws Exception {
    // a broker that died still has its consumers registered for a while: the event bus picks it in turn
    AtomicInteger deadAsked = new AtomicInteger();
    vertx.eventBus().consumer(Addresses.METADATA, m -> deadAsked.incrementAndGet());
    for (int i = 0; i < 4; i++) {
      long start = System.nanoTime();
      HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/api/topics/" + TOPIC + "/partitions")).GET()).get();
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat((System.nanoTime() - start) / 1_000_000).as("one 2 s attempt lost at most").isLessThan(3_500);
    }
    assertThat(deadAsked.get()).isPositive();
  }

  @Test
  void aLeaderThatStillLeadsIsWaitedFor() throws Exception {
    CompletableFuture<HttpResponse<String>> pending = produce(0);
    awaitSwallowed(1);
    partition.set(leadBy(3, 1)); // a new epoch, same leader: its answer may still come
    HttpResponse<String> answer = pending.get();
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
    assertThat(new JsonObject(answer.body()).getString("error")).isEqualTo("REQUEST_TIMED_OUT");
  }

  @Test
  void metadataThatLagsBehindTheRequestDoesNotFailIt() throws Exception {
    partition.set(leadBy(1, 5));
    newLeaderDelayMs.set(2_500); // the leader answers after the API has checked its leadership twice
    CompletableFuture<HttpResponse<String>> pending = produce(30_000);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> answeredByNewLeader.get() == 1);
    // a broker whose image lags names the old leader at an older epoch: no reason to fail the request
    partition.set(leadBy(3, 4));
    HttpResponse<String> answer = pending.get();
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }
}
