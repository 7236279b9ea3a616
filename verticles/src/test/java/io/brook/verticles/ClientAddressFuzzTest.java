package io.brook.verticles;

import static io.brook.verticles.BrokerHarness.NODE_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.protocol.Addresses;
import io.brook.protocol.GroupApi;
import io.brook.protocol.message.ListTopicsRequest;
import io.brook.protocol.message.ListTopicsResponse;
import io.brook.protocol.message.TopicListing;
import io.brook.storage.Time;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every client address of a broker gets seeded, mutated request bodies (as a bridge client sends
 * them: JSON with fields dropped, added, nulled or of the wrong type, and bodies that are no object at
 * all). Each is answered, with a Kafka error other than UNKNOWN_SERVER_ERROR when refused; no stack
 * trace is logged for any; after every batch the broker still creates, writes and reads; no internal
 * topic shows; nothing is written outside the data directory. {@code -Dbrook.fuzz.client.cases=N}
 * runs more, {@code -Dbrook.fuzz.seed=S} replays one run.
 */
class ClientAddressFuzzTest {
  private static final int CASES = Integer.getInteger("brook.fuzz.client.cases", 10_000);
  private static final long SEED = Long.getLong("brook.fuzz.seed", System.nanoTime());
  private static final int BATCH = 500;
  private static final Object[] VALUES = {null, 0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, -7.5,
      1e308, "", "t", "x", "__cluster_metadata", "__consumer_offsets", "../escape", "a/b", "a".repeat(300), "ünï",
      "%ZZ", "t:0", true, false, new JsonArray(), new JsonArray().addNull(), new JsonArray().add(1).add("x"),
      new JsonObject(), new JsonObject().putNull("k"), new JsonObject().put("retention.ms", "1")};

  @TempDir
  Path root;

  @Test
  void mutatedBodiesOnEveryClientAddressAreAnsweredAndChangeNothingInternal() throws Exception {
    Path dataDir = Files.createDirectories(root.resolve("data"));
    TracesCounted traces = new TracesCounted();
    Logger.getLogger("").addHandler(traces);
    Random random = new Random(SEED);
    Map<String, Integer> outcomes = new TreeMap<>();
    try (BrokerHarness broker = new BrokerHarness(dataDir,
        // small limits: fuzzed counts stay cheap, and a long poll (clamped to fetch.max.wait.ms) ends well within 30 s
        Map.of("max.partitions.per.topic", 8, "max.replicas.per.broker", 400, "fetch.max.wait.ms", 2_000), Time.SYSTEM)) {
      broker.calls.createTopic("t", 2, Map.of());
      broker.calls.produce("t", 0, "a", "b");
      List<Map.Entry<String, JsonObject>> templates = templates();
      for (int done = 0; done < CASES; done += BATCH) {
        for (int i = 0; i < BATCH && done + i < CASES; i++) {
          Map.Entry<String, JsonObject> template = templates.get(random.nextInt(templates.size()));
          Object body = mutate(template.getValue(), random);
          String outcome = send(broker, template.getKey(), body);
          outcomes.merge(outcome, 1, Integer::sum);
          assertThat(outcome).as("seed %d, case %d: %s <- %s", SEED, done + i, template.getKey(), body)
              .isNotIn(Errors.UNKNOWN_SERVER_ERROR.name(), "NO_ANSWER");
        }
        String probe = "probe-" + done;
        broker.calls.createTopic(probe, 1, Map.of());
        assertThat(broker.calls.produce(probe, 0, "p").baseOffset()).as("seed %d", SEED).isZero();
        assertThat(ProtocolCalls.values(broker.calls.fetch(probe, 0, 0), 0)).containsExactly("0:p");
        ListTopicsResponse topics = broker.calls.request(Addresses.LIST_TOPICS, new ListTopicsRequest(true));
        assertThat(topics.topics()).extracting(TopicListing::name).as("no internal topic but Brook's own")
            .noneMatch(name -> name.startsWith("__") && !name.equals("__consumer_offsets"));
      }
      try (Stream<Path> outside = Files.list(root)) {
        assertThat(outside.map(p -> p.getFileName().toString())).as("seed %d", SEED).containsExactly("data");
      }
    } finally {
      Logger.getLogger("").removeHandler(traces);
    }
    System.out.println("ClientAddressFuzzTest seed " + SEED + ", " + CASES + " cases: " + outcomes);
    assertThat(traces.count.get()).as("stack traces logged (seed %d): %s", SEED, traces.first).isZero();
  }

  private static String send(BrokerHarness broker, String address, Object body) {
    if (address.equals(Addresses.produce(NODE_ID)) && body instanceof JsonObject json
        && json.getValue("acks") instanceof Number acks && acks.intValue() == 0) {
      broker.vertx.eventBus().send(address, body); // acks=0 is never answered, as in Kafka
      return "SENT";
    }
    try {
      broker.vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(30_000)).await();
      return "OK";
    } catch (ReplyException e) {
      if (e.failureType() == ReplyFailure.TIMEOUT || e.failureType() == ReplyFailure.NO_HANDLERS) {
        return "NO_ANSWER";
      }
      return Errors.forCode((short) e.failureCode()).name();
    }
  }

  /** Valid JSON bodies, one per client address, that the mutations start from. */
  private static List<Map.Entry<String, JsonObject>> templates() {
    List<Map.Entry<String, JsonObject>> templates = new ArrayList<>();
    templates.add(Map.entry(Addresses.produce(NODE_ID), new JsonObject().put("topic", "t").put("partition", 0)
        .put("acks", 1).put("timeoutMs", 1000).put("messages", new JsonArray().add(new JsonObject().put("key", "k")
            .put("value", "v")))));
    templates.add(Map.entry(Addresses.fetch(NODE_ID), new JsonObject().put("topic", "t").put("partition", 0)
        .put("fetchOffset", 0).put("maxBytes", 1000).put("maxWaitMs", 0)));
    templates.add(Map.entry(Addresses.listOffsets(NODE_ID), new JsonObject().put("topic", "t").put("partition", 0)
        .put("timestamp", -1)));
    templates.add(Map.entry(Addresses.deleteRecords(NODE_ID), new JsonObject().put("topic", "t").put("timeoutMs", 1000)
        .put("partitions", new JsonArray().add(new JsonObject().put("partition", 1).put("offset", 0)))));
    templates.add(Map.entry(Addresses.describePartition(NODE_ID), new JsonObject().put("topic", "t").put("partition", 0)));
    templates.add(Map.entry(Addresses.METADATA, new JsonObject().put("topics", new JsonArray().add("t"))));
    templates.add(Map.entry(Addresses.metadata(NODE_ID), new JsonObject().put("topics", new JsonArray())));
    templates.add(Map.entry(Addresses.CREATE_TOPIC, new JsonObject().put("name", "f").put("partitions", 1)
        .put("replicationFactor", 1).put("configs", new JsonObject().put("retention.ms", "100000"))));
    templates.add(Map.entry(Addresses.DELETE_TOPIC, new JsonObject().put("name", "f")));
    templates.add(Map.entry(Addresses.LIST_TOPICS, new JsonObject().put("includeInternal", true)));
    templates.add(Map.entry(Addresses.DESCRIBE_TOPIC, new JsonObject().put("name", "t")));
    templates.add(Map.entry(Addresses.ALTER_CONFIGS, new JsonObject().put("name", "t")
        .put("set", new JsonObject().put("retention.ms", "100000")).put("delete", new JsonArray().add("flush.ms"))));
    templates.add(Map.entry(Addresses.CREATE_PARTITIONS, new JsonObject().put("name", "t").put("count", 3)));
    templates.add(Map.entry(Addresses.ELECT_LEADERS, new JsonObject().put("preferred", true)
        .put("partitions", new JsonArray().add("t:0"))));
    templates.add(Map.entry(Addresses.REASSIGN_PARTITION, new JsonObject().put("topic", "t").put("partition", 0)
        .put("replicas", new JsonArray().add(NODE_ID))));
    templates.add(Map.entry(Addresses.DESCRIBE_CLUSTER, new JsonObject().put("includeFenced", true)));
    templates.add(Map.entry(Addresses.UNREGISTER_BROKER, new JsonObject().put("nodeId", 2)));
    templates.add(Map.entry(Addresses.DESCRIBE_USERS, new JsonObject().put("names", new JsonArray().add("u"))));
    templates.add(Map.entry(Addresses.UPSERT_USER, new JsonObject().put("name", "u").put("mechanism", "SCRAM-SHA-256")
        .put("salt", "c2FsdA==").put("storedKey", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
        .put("serverKey", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").put("iterations", 4096).put("mode", "UPSERT")));
    templates.add(Map.entry(Addresses.DELETE_USER, new JsonObject().put("name", "u").put("mechanism", "SCRAM-SHA-256")));
    JsonObject acl = new JsonObject().put("resourceType", "TOPIC").put("resourceName", "t").put("patternType", "PREFIXED")
        .put("principal", "User:u").put("host", "*").put("operation", "READ").put("permission", "ALLOW");
    templates.add(Map.entry(Addresses.DESCRIBE_ACLS, new JsonObject().put("filter", acl.copy())));
    templates.add(Map.entry(Addresses.CREATE_ACLS, new JsonObject().put("acls", new JsonArray().add(acl.copy()))));
    templates.add(Map.entry(Addresses.DELETE_ACLS, new JsonObject().put("filters", new JsonArray().add(acl.copy()))));
    // consumer groups: a new member's join is answered at once (MEMBER_ID_REQUIRED), nothing parks
    templates.add(Map.entry(Addresses.FIND_COORDINATOR, new JsonObject().put("key", "g").put("keyType", "GROUP")));
    templates.add(Map.entry(GroupApi.JOIN_GROUP.address(NODE_ID), new JsonObject().put("groupId", "g")
        .put("sessionTimeoutMs", 10_000).put("rebalanceTimeoutMs", 1_000).put("memberId", "").put("protocolType", "consumer")
        .put("protocols", new JsonArray().add(new JsonObject().put("name", "range").put("metadata", "AAE")))
        .put("clientId", "c")));
    templates.add(Map.entry(GroupApi.SYNC_GROUP.address(NODE_ID), new JsonObject().put("groupId", "g")
        .put("generationId", 1).put("memberId", "m").put("assignments", new JsonArray().add(new JsonObject()
            .put("memberId", "m").put("assignment", "AAE")))));
    templates.add(Map.entry(GroupApi.HEARTBEAT.address(NODE_ID), new JsonObject().put("groupId", "g")
        .put("generationId", 1).put("memberId", "m")));
    templates.add(Map.entry(GroupApi.LEAVE_GROUP.address(NODE_ID), new JsonObject().put("groupId", "g")
        .put("members", new JsonArray().add(new JsonObject().put("memberId", "m")))));
    templates.add(Map.entry(GroupApi.OFFSET_COMMIT.address(NODE_ID), new JsonObject().put("groupId", "g")
        .put("generationId", -1).put("memberId", "").put("offsets", new JsonArray().add(new JsonObject()
            .put("topic", "t").put("partition", 0).put("offset", 1).put("leaderEpoch", -1).put("metadata", "x")))));
    templates.add(Map.entry(GroupApi.OFFSET_FETCH.address(NODE_ID), new JsonObject().put("groupId", "g")
        .put("partitions", new JsonArray().add(new JsonObject().put("topic", "t").put("partition", 0)))));
    templates.add(Map.entry(GroupApi.DESCRIBE_GROUPS.address(NODE_ID), new JsonObject().put("groupIds",
        new JsonArray().add("g"))));
    templates.add(Map.entry(GroupApi.LIST_GROUPS.address(NODE_ID), new JsonObject().put("statesFilter",
        new JsonArray().add("Empty"))));
    templates.add(Map.entry(GroupApi.DELETE_GROUPS.address(NODE_ID), new JsonObject().put("groupIds",
        new JsonArray().add("g"))));
    templates.add(Map.entry(GroupApi.OFFSET_DELETE.address(NODE_ID), new JsonObject().put("groupId", "g")
        .put("partitions", new JsonArray().add(new JsonObject().put("topic", "t").put("partition", 0)))));
    templates.add(Map.entry(Addresses.metadata(NODE_ID), new JsonObject().put("topics", new JsonArray().add("t"))
        .put("topicIds", new JsonArray().add("AAAAAAAAAAAAAAAAAAAAAQ")).put("allowAutoCreate", true)));
    templates.add(Map.entry(Addresses.describeLogDirs(NODE_ID), new JsonObject().put("partitions",
        new JsonArray().add(new JsonObject().put("topic", "t").put("partition", 0)))));
    templates.add(Map.entry(Addresses.LIST_REASSIGNMENTS, new JsonObject().put("partitions",
        new JsonArray().add(new JsonObject().put("topic", "t").put("partition", 0)))));
    templates.add(Map.entry(Addresses.CREATE_TOPIC, new JsonObject().put("name", "v").put("partitions", 1)
        .put("replicationFactor", 1).put("configs", new JsonObject()).put("validateOnly", true)));
    return templates;
  }

  private static Object mutate(JsonObject template, Random random) {
    int shape = random.nextInt(20);
    if (shape == 0) {
      return VALUES[random.nextInt(VALUES.length)]; // not an object at all
    }
    JsonObject body = template.copy();
    for (String field : new ArrayList<>(body.fieldNames())) {
      int roll = random.nextInt(10);
      if (roll < 2) {
        body.put(field, copy(VALUES[random.nextInt(VALUES.length)]));
      } else if (roll == 2) {
        body.remove(field);
      } else if (roll == 3 && body.getValue(field) instanceof String name) {
        body.put(field, name + random.nextInt(50)); // other names: new topics get created, others deleted
      }
    }
    if (random.nextInt(5) == 0) {
      body.put("extra" + random.nextInt(3), copy(VALUES[random.nextInt(VALUES.length)]));
    }
    return body;
  }

  private static Object copy(Object value) {
    return value instanceof JsonObject o ? o.copy() : value instanceof JsonArray a ? a.copy() : value;
  }

  /** Log records that carry a stack trace. */
  private static final class TracesCounted extends Handler {
    final AtomicInteger count = new AtomicInteger();
    volatile String first;

    @Override
    public void publish(LogRecord record) {
      if (record.getThrown() != null && count.getAndIncrement() == 0) {
        first = record.getLoggerName() + ": " + record.getMessage() + " " + record.getThrown();
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
