package io.brook.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Server-Sent Event routes on a real broker: a live tail delivers a record produced after it
 * opened, caps what it sends under a flood and counts the rest as dropped; watches send the GET
 * bodies at open and again when they change; a node refuses streams beyond http.max.event.streams
 * with 429 and frees a slot when its client leaves; a stream that cannot open is an ordinary error.
 */
class HttpEventStreamsTest {
  static final int MAX_STREAMS = 3;
  @TempDir
  static Path dataDir;
  static BrookNode node;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    node = new BrookNode(dataDir, new JsonObject().put("http.max.event.streams", MAX_STREAMS));
    for (String topic : List.of("tail-t", "flood-t", "watch-t")) {
      HttpResponse<String> created = node.post("/api/topics", new JsonObject().put("name", topic).put("partitions", 1).encode());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** An open event stream: its events as they arrive, read by a background thread. */
  static final class Stream implements AutoCloseable {
    record Event(String name, JsonObject data) {}

    final List<Event> events = new CopyOnWriteArrayList<>();
    final HttpResponse<java.util.stream.Stream<String>> response;
    private final Thread readerThread;

    Stream(String path) throws IOException, InterruptedException {
      response = HTTP.send(HttpRequest.newBuilder(node.uri(path)).header("Accept", "text/event-stream").build(),
          BodyHandlers.ofLines());
      readerThread = new Thread(() -> {
        String[] name = {null};
        try {
          response.body().forEach(line -> {
            if (line.startsWith("event: ")) {
              name[0] = line.substring(7);
            } else if (line.startsWith("data: ")) {
              events.add(new Event(name[0], new JsonObject(line.substring(6))));
            }
          });
        } catch (RuntimeException closed) {
          // the stream was closed by the test
        }
      }, "sse-reader");
      readerThread.setDaemon(true);
      readerThread.start();
    }

    List<JsonObject> named(String name) {
      return events.stream().filter(e -> name.equals(e.name())).map(Event::data).toList();
    }

    @Override
    public void close() {
      response.body().close();
    }
  }

  static void produce(String topic, JsonArray records) {
    HttpResponse<String> done = node.post("/api/topics/" + topic + "/records", new JsonObject().put("records", records).encode());
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
  }

  @Test
  void aTailDeliversARecordProducedAfterItOpenedWithinASecond() throws Exception {
    produce("tail-t", new JsonArray().add(new JsonObject().put("value", "before")));
    try (Stream tail = new Stream("/api/topics/tail-t/tail")) {
      assertThat(tail.response.statusCode()).isEqualTo(200);
      assertThat(tail.response.headers().firstValue("content-type")).hasValueSatisfying(
          v -> assertThat(v).startsWith("text/event-stream"));
      long producedAtNs = System.nanoTime();
      produce("tail-t", new JsonArray().add(new JsonObject().put("value", "<img src=x onerror=alert(1)>")));
      await().atMost(Duration.ofSeconds(1)).until(() -> !tail.named("records").isEmpty());
      System.out.printf("tail: record shown %d ms after its produce was sent%n", (System.nanoTime() - producedAtNs) / 1_000_000);
      JsonObject event = tail.named("records").get(0);
      assertThat(event.getJsonArray("records")).hasSize(1);
      assertThat(event.getJsonArray("records").getJsonObject(0).getString("value")).isEqualTo("<img src=x onerror=alert(1)>");
      assertThat(event.getLong("dropped")).isZero();
    }
  }

  @Test
  void aFloodIsCappedAndTheRestCountedAsDropped() throws Exception {
    try (Stream tail = new Stream("/api/topics/flood-t/tail?maxRecordsPerSec=10&filter=flood")) {
      assertThat(tail.response.statusCode()).isEqualTo(200);
      JsonArray flood = new JsonArray();
      for (int i = 0; i < 500; i++) {
        flood.add(new JsonObject().put("value", "flood-" + i));
      }
      produce("flood-t", flood);
      produce("flood-t", new JsonArray().add(new JsonObject().put("value", "not shown: filtered out")));
      await().atMost(Duration.ofSeconds(5)).until(() -> shown(tail) + dropped(tail) >= 500);
      assertThat(shown(tail)).isBetween(1L, 20L);
      assertThat(shown(tail) + dropped(tail)).isBetween(500L, 501L);
      assertThat(tail.named("records").stream().flatMap(e -> e.getJsonArray("records").stream())
          .map(r -> ((JsonObject) r).getString("value"))).allMatch(v -> v.startsWith("flood-"));
    }
  }

  private static long shown(Stream tail) {
    return tail.named("records").stream().mapToLong(e -> e.getJsonArray("records").size()).sum();
  }

  private static long dropped(Stream tail) {
    return tail.named("records").stream().mapToLong(e -> e.getLong("dropped")).sum();
  }

  @Test
  void aTopicWatchSendsTheBodyAtOpenAndWhenItChanges() throws Exception {
    try (Stream watch = new Stream("/api/watch/topics/watch-t")) {
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.named("topic").size() == 1);
      JsonObject first = watch.named("topic").get(0);
      assertThat(first.getJsonArray("partitions")).hasSize(1);
      assertThat(first.getJsonArray("authorizedOperations").getList()).contains("READ", "WRITE");
      assertThat(first).isEqualTo(node.getJson("/api/topics/watch-t")); // the GET's body, built by the same code
      HttpResponse<String> grown = node.post("/api/topics/watch-t/partitions", new JsonObject().put("count", 2).encode());
      assertThat(grown.statusCode()).as(grown.body()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.named("topic").size() >= 2);
      assertThat(watch.named("topic").get(1).getJsonArray("partitions")).hasSize(2);
    }
  }

  @Test
  void aGroupWatchSendsTheGroupAndItsNewOffsets() throws Exception {
    produce("tail-t", new JsonArray().add(new JsonObject().put("value", "for the group")));
    resetOffsets("watch-g", "earliest");
    try (Stream watch = new Stream("/api/watch/groups/watch-g")) {
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.named("group").size() == 1);
      JsonObject first = watch.named("group").get(0);
      assertThat(first.getString("groupId")).isEqualTo("watch-g");
      assertThat(first.getJsonArray("authorizedOperations").getList()).contains("READ", "DESCRIBE");
      assertThat(first.getJsonArray("offsets").getJsonObject(0).getLong("committedOffset")).isZero();
      resetOffsets("watch-g", "latest");
      await().atMost(Duration.ofSeconds(5)).until(() -> watch.named("group").size() >= 2);
      assertThat(watch.named("group").get(1).getJsonArray("offsets").getJsonObject(0).getLong("committedOffset"))
          .isPositive();
    }
  }

  private static void resetOffsets(String group, String to) {
    HttpResponse<String> reset = node.post("/api/groups/" + group + "/offsets",
        new JsonObject().put("topic", "tail-t").put("to", to).put("execute", true).encode());
    assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
  }

  @Test
  void theClusterWatchSendsClusterAndHealth() throws Exception {
    try (Stream watch = new Stream("/api/watch/cluster")) {
      await().atMost(Duration.ofSeconds(5)).until(() -> !watch.named("cluster").isEmpty() && !watch.named("health").isEmpty());
      JsonObject broker = watch.named("cluster").get(0).getJsonArray("brokers").getJsonObject(0);
      assertThat(broker.getInteger("nodeId")).isEqualTo(BrookNode.NODE_ID);
      assertThat(broker.getString("state")).isEqualTo("UNFENCED");
      assertThat(watch.named("health").get(0).getBoolean("healthy")).isNotNull();
    }
  }

  @Test
  void streamsBeyondTheCapAre429AndALeavingClientFreesItsSlot() throws Exception {
    HttpResponse<String> unknown = node.get("/api/topics/no-such-topic/tail");
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
    HttpResponse<String> noGroup = node.get("/api/watch/groups/no-such-group");
    assertThat(noGroup.statusCode()).as(noGroup.body()).isEqualTo(404);
    assertThat(new JsonObject(noGroup.body()).getString("error")).isEqualTo("GROUP_ID_NOT_FOUND");
    assertThat(node.get("/api/watch/topics/no-such-topic").statusCode()).isEqualTo(404);
    assertThat(node.get("/api/topics/tail-t/tail?partitions=7").statusCode()).isEqualTo(404);
    assertThat(node.get("/api/topics/tail-t/tail?partitions=0,0").statusCode()).isEqualTo(400);
    assertThat(node.get("/api/topics/tail-t/tail?maxRecordsPerSec=2001").statusCode()).isEqualTo(400);
    assertThat(node.get("/api/topics/tail-t/tail?filterMode=regex&filter=(").statusCode()).isEqualTo(400);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      // other tests' streams may still be closing: wait until this test holds every slot
      List<Stream> open = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < MAX_STREAMS; i++) {
          Stream s = new Stream("/api/watch/cluster");
          open.add(s);
          if (s.response.statusCode() != 200) {
            return false;
          }
        }
        HttpResponse<String> refused = node.get("/api/watch/topics/tail-t");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(new JsonObject(refused.body()).getString("error")).isEqualTo("THROTTLING_QUOTA_EXCEEDED");
        return true;
      } finally {
        open.forEach(Stream::close);
      }
    });
    // the clients left: their slots come back
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      try (Stream again = new Stream("/api/watch/cluster")) {
        return again.response.statusCode() == 200;
      }
    });
  }
}
