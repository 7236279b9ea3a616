package io.brook.client;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.codec.BrookCodecs;
import io.brook.protocol.message.BrokerInfo;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.DeleteTopicRequest;
import io.brook.protocol.message.DeleteTopicResponse;
import io.brook.protocol.message.DescribeTopicRequest;
import io.brook.protocol.message.FetchRequest;
import io.brook.protocol.message.FetchResponse;
import io.brook.protocol.message.ListOffsetsRequest;
import io.brook.protocol.message.ListOffsetsResponse;
import io.brook.protocol.message.ListTopicsRequest;
import io.brook.protocol.message.ListTopicsResponse;
import io.brook.protocol.message.MetadataRequest;
import io.brook.protocol.message.MetadataResponse;
import io.brook.protocol.message.PartitionDescription;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.ProduceRequest;
import io.brook.protocol.message.ProduceResponse;
import io.brook.protocol.message.TopicDescription;
import io.brook.protocol.message.TopicListing;
import io.brook.protocol.message.TopicMetadata;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.Deque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * A broker in the test JVM: a verticle answering the client addresses of node {@code nodeId} from
 * in-memory {@link FakePartition}s. It stamps offsets like a leader, long-polls fetches, and lets a
 * test inject produce errors or hold produce replies. Handlers run on the verticle's event loop;
 * the test thread reads state through thread-safe accessors.
 */
public final class FakeBroker extends AbstractVerticle {
  private record ParkedFetch(Message<Object> message, FetchRequest request, long timerId) {}

  private final int nodeId;
  private final Map<String, List<FakePartition>> topics = new ConcurrentHashMap<>();
  private final Deque<Errors> produceErrors = new ConcurrentLinkedDeque<>();
  private final Deque<Errors> fetchErrors = new ConcurrentLinkedDeque<>();
  private final java.util.concurrent.atomic.AtomicInteger fetchCount = new java.util.concurrent.atomic.AtomicInteger();
  private final List<ProduceRequest> produceRequests = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger laggingAnswers = new java.util.concurrent.atomic.AtomicInteger();
  private final List<Runnable> heldReplies = new ArrayList<>();
  private final List<ParkedFetch> parkedFetches = new ArrayList<>();
  private final List<Runnable> heldFetches = new ArrayList<>();
  private final Map<String, Boolean> logAppendTimeTopics = new ConcurrentHashMap<>();
  private volatile boolean holdReplies;
  private volatile boolean holdFetches;
  private final List<Runnable> heldListOffsets = new ArrayList<>();
  private volatile boolean holdListOffsets;
  private volatile int leaderEpoch;
  private final List<Integer> fetchEpochs = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicLong producerIds = new java.util.concurrent.atomic.AtomicLong(1000);
  private final Deque<Errors> initProducerIdErrors = new ConcurrentLinkedDeque<>();

  private FakeBroker(int nodeId) {
    this.nodeId = nodeId;
  }

  public static FakeBroker start(Vertx vertx, int nodeId) {
    BrookCodecs.register(vertx.eventBus());
    FakeBroker broker = new FakeBroker(nodeId);
    vertx.deployVerticle(broker).await();
    return broker;
  }

  @Override
  public void start() {
    handle(Addresses.METADATA, this::metadata);
    handle(Addresses.produce(nodeId), this::produce);
    handle(Addresses.fetch(nodeId), this::fetch);
    handle(Addresses.listOffsets(nodeId), this::listOffsets);
    handle(Addresses.CREATE_TOPIC, this::createTopic);
    handle(Addresses.DELETE_TOPIC, this::deleteTopic);
    handle(Addresses.LIST_TOPICS, this::listTopics);
    handle(Addresses.DESCRIBE_TOPIC, this::describeTopic);
    handle(Addresses.INIT_PRODUCER_ID, this::initProducerId);
  }

  private void handle(String address, Consumer<Message<Object>> handler) {
    vertx.eventBus().<Object>consumer(address, message -> {
      try {
        handler.accept(message);
      } catch (RuntimeException e) {
        BrookErrors.fail(message, e);
      }
    });
  }

  // ---- test controls (any thread) ----

  public void createTopic(String name, int partitions) {
    List<FakePartition> log = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      log.add(new FakePartition());
    }
    if (topics.putIfAbsent(name, log) != null) {
      throw new TopicExistsException("Topic '" + name + "' already exists.");
    }
  }

  /** A topic whose batches the broker stamps with its own time (LogAppendTime), like message.timestamp.type. */
  public void createLogAppendTimeTopic(String name, int partitions) {
    createTopic(name, partitions);
    logAppendTimeTopics.put(name, true);
  }

  public FakePartition partition(String topic, int partition) {
    List<FakePartition> log = topics.get(topic);
    if (log == null || partition >= log.size()) {
      throw new UnknownTopicOrPartitionException("no partition " + topic + "-" + partition);
    }
    return log.get(partition);
  }

  public FakePartition partition(TopicPartition tp) {
    return partition(tp.topic(), tp.partition());
  }

  /** The next produce requests fail with these errors, one each, in order. */
  public void failNextProduces(Errors... errors) {
    produceErrors.addAll(List.of(errors));
  }

  /** The next init-producer-id requests fail with these errors, one each, in order. */
  public void failNextInitProducerIds(Errors... errors) {
    initProducerIdErrors.addAll(List.of(errors));
  }

  /** How many producer ids this broker handed out. */
  public long producerIdsGiven() {
    return producerIds.get() - 1000;
  }

  /** The next fetch requests fail with these errors, one each, in order. */
  public void failNextFetches(Errors... errors) {
    fetchErrors.addAll(List.of(errors));
  }

  public int fetchCount() {
    return fetchCount.get();
  }

  /** The leader epoch this broker's metadata shows and its fetches check, as a leader's would. */
  public void leaderEpoch(int epoch) {
    leaderEpoch = epoch;
  }

  /** The {@code currentLeaderEpoch} of every fetch received, in order. */
  public List<Integer> fetchEpochs() {
    return fetchEpochs;
  }

  public List<ProduceRequest> produceRequests() {
    return produceRequests;
  }

  /** While held, fetch requests are counted but not served; released ones read the log then. */
  public void holdFetchReplies() {
    holdFetches = true;
  }

  public void releaseFetchReplies() {
    holdFetches = false;
    context.runOnContext(v -> {
      heldFetches.forEach(Runnable::run);
      heldFetches.clear();
    });
  }

  /** While held, list-offsets requests are not answered; released ones are answered then. */
  public void holdListOffsetsReplies() {
    holdListOffsets = true;
  }

  public void releaseListOffsetsReplies() {
    holdListOffsets = false;
    context.runOnContext(v -> {
      heldListOffsets.forEach(Runnable::run);
      heldListOffsets.clear();
    });
  }

  /** While held, produce requests are appended (or fail, if told to) but not answered. */
  public void holdProduceReplies() {
    holdReplies = true;
  }

  public void releaseProduceReplies() {
    holdReplies = false;
    context.runOnContext(v -> {
      heldReplies.forEach(Runnable::run);
      heldReplies.clear();
    });
  }

  // ---- handlers (event loop) ----

  /** The next {@code answers} metadata answers know no topic, as a broker that lags behind would. */
  public void lagNextMetadataAnswers(int answers) {
    laggingAnswers.set(answers);
  }

  private void metadata(Message<Object> message) {
    MetadataRequest request = (MetadataRequest) message.body();
    boolean lagging = laggingAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    List<String> names = request.topics() == null || request.topics().isEmpty()
        ? new ArrayList<>(new TreeMap<>(topics).keySet()) : request.topics();
    List<TopicMetadata> result = new ArrayList<>();
    for (String name : names) {
      List<FakePartition> log = lagging ? null : topics.get(name);
      if (log == null) {
        result.add(new TopicMetadata(name, Errors.UNKNOWN_TOPIC_OR_PARTITION.name(), (short) 0, List.of()));
        continue;
      }
      List<PartitionMetadata> partitions = new ArrayList<>();
      for (int p = 0; p < log.size(); p++) {
        partitions.add(new PartitionMetadata(p, nodeId, leaderEpoch, List.of(nodeId), List.of(nodeId)));
      }
      result.add(new TopicMetadata(name, null, (short) 1, partitions));
    }
    message.reply(new MetadataResponse(nodeId, List.of(new BrokerInfo(nodeId, "127.0.0.1", -1, -1)), result));
  }

  private void produce(Message<Object> message) {
    ProduceRequest request = ((ProduceRequest) message.body()).validate();
    produceRequests.add(request);
    Errors injected = produceErrors.poll();
    Runnable reply;
    if (injected != null) {
      reply = () -> BrookErrors.fail(message, injected.exception());
    } else {
      FakePartition partition = partition(request.topic(), request.partition());
      // -1 (NO_TIMESTAMP) for CreateTime topics, the broker's append time for LogAppendTime, as the real broker
      long logAppendTimeMs = logAppendTimeTopics.containsKey(request.topic()) ? System.currentTimeMillis() : -1L;
      long base = partition.append(request.memoryRecords(), logAppendTimeMs);
      wakeFetches(request.topic(), request.partition());
      if (request.acks() == ProduceRequest.ACKS_NONE) {
        return;
      }
      reply = () -> message.reply(new ProduceResponse(base, logAppendTimeMs, partition.logStartOffset()));
    }
    if (holdReplies) {
      heldReplies.add(reply);
    } else {
      reply.run();
    }
  }

  /** A new producer id at epoch 0, as {@code ProducerIdsVerticle} gives them. */
  private void initProducerId(Message<Object> message) {
    Errors injected = initProducerIdErrors.poll();
    if (injected != null) {
      BrookErrors.fail(message, injected.exception());
      return;
    }
    message.reply(new io.brook.protocol.message.InitProducerIdResponse(producerIds.getAndIncrement(), (short) 0));
  }

  private void fetch(Message<Object> message) {
    FetchRequest request = ((FetchRequest) message.body()).validate();
    fetchCount.incrementAndGet();
    fetchEpochs.add(request.currentLeaderEpoch());
    Errors injected = fetchErrors.poll();
    if (injected != null) {
      BrookErrors.fail(message, injected.exception());
      return;
    }
    if (request.currentLeaderEpoch() >= 0 && request.currentLeaderEpoch() != leaderEpoch) {
      BrookErrors.fail(message, (request.currentLeaderEpoch() < leaderEpoch ? Errors.FENCED_LEADER_EPOCH
          : Errors.UNKNOWN_LEADER_EPOCH).exception());
      return;
    }
    if (holdFetches) {
      heldFetches.add(() -> answerNow(message, request));
      return;
    }
    answerNow(message, request);
  }

  private void answerNow(Message<Object> message, FetchRequest request) {
    FakePartition partition;
    ByteBuffer records;
    try {
      partition = partition(request.topic(), request.partition());
      records = partition.read(request.fetchOffset(), request.maxBytes());
    } catch (RuntimeException e) {
      BrookErrors.fail(message, e);
      return;
    }
    if (records.remaining() >= Math.max(1, request.minBytes()) || request.maxWaitMs() == 0) {
      message.reply(response(partition, records));
      return;
    }
    long timer = vertx.setTimer(request.maxWaitMs(), id -> answerParked(id));
    parkedFetches.add(new ParkedFetch(message, request, timer));
  }

  private void answerParked(long timerId) {
    Iterator<ParkedFetch> it = parkedFetches.iterator();
    while (it.hasNext()) {
      ParkedFetch parked = it.next();
      if (parked.timerId == timerId) {
        it.remove();
        answer(parked);
      }
    }
  }

  private void wakeFetches(String topic, int partition) {
    Iterator<ParkedFetch> it = parkedFetches.iterator();
    while (it.hasNext()) {
      ParkedFetch parked = it.next();
      if (parked.request.topic().equals(topic) && parked.request.partition() == partition) {
        it.remove();
        vertx.cancelTimer(parked.timerId);
        answer(parked);
      }
    }
  }

  private void answer(ParkedFetch parked) {
    try {
      FakePartition partition = partition(parked.request.topic(), parked.request.partition());
      parked.message.reply(response(partition, partition.read(parked.request.fetchOffset(), parked.request.maxBytes())));
    } catch (RuntimeException e) {
      BrookErrors.fail(parked.message, e);
    }
  }

  private static FetchResponse response(FakePartition partition, ByteBuffer records) {
    long end = partition.nextOffset();
    return new FetchResponse(end, partition.logStartOffset(), end, records);
  }

  private void listOffsets(Message<Object> message) {
    if (holdListOffsets) {
      heldListOffsets.add(() -> {
        try {
          answerListOffsets(message);
        } catch (RuntimeException e) {
          BrookErrors.fail(message, e);
        }
      });
      return;
    }
    answerListOffsets(message);
  }

  private void answerListOffsets(Message<Object> message) {
    ListOffsetsRequest request = (ListOffsetsRequest) message.body();
    FakePartition partition = partition(request.topic(), request.partition());
    if (request.timestamp() == ListOffsetsRequest.EARLIEST) {
      message.reply(new ListOffsetsResponse(partition.logStartOffset(), -1));
    } else if (request.timestamp() == ListOffsetsRequest.LATEST) {
      message.reply(new ListOffsetsResponse(partition.nextOffset(), -1));
    } else {
      long[] found = partition.offsetForTime(request.timestamp());
      message.reply(found == null ? new ListOffsetsResponse(-1, -1) : new ListOffsetsResponse(found[0], found[1]));
    }
  }

  private void createTopic(Message<Object> message) {
    CreateTopicRequest request = (CreateTopicRequest) message.body();
    createTopic(request.name(), request.partitions());
    List<PartitionMetadata> partitions = new ArrayList<>();
    for (int p = 0; p < request.partitions(); p++) {
      partitions.add(new PartitionMetadata(p, nodeId, leaderEpoch, List.of(nodeId), List.of(nodeId)));
    }
    message.reply(new TopicMetadata(request.name(), null, (short) 1, partitions));
  }

  private void deleteTopic(Message<Object> message) {
    DeleteTopicRequest request = (DeleteTopicRequest) message.body();
    if (topics.remove(request.name()) == null) {
      throw new UnknownTopicOrPartitionException("Topic '" + request.name() + "' does not exist.");
    }
    message.reply(new DeleteTopicResponse(request.name()));
  }

  private void listTopics(Message<Object> message) {
    List<TopicListing> listings = new ArrayList<>();
    new TreeMap<>(topics).forEach((name, log) -> listings.add(new TopicListing(name, log.size(), (short) 1)));
    message.reply(new ListTopicsResponse(listings));
  }

  private void describeTopic(Message<Object> message) {
    DescribeTopicRequest request = (DescribeTopicRequest) message.body();
    List<FakePartition> log = topics.get(request.name());
    if (log == null) {
      throw new UnknownTopicOrPartitionException("Topic '" + request.name() + "' does not exist.");
    }
    List<PartitionDescription> partitions = new ArrayList<>();
    for (int p = 0; p < log.size(); p++) {
      FakePartition partition = log.get(p);
      partitions.add(new PartitionDescription(p, nodeId, 0, List.of(nodeId), List.of(nodeId),
          partition.logStartOffset(), partition.nextOffset(), partition.nextOffset(), 0, 1));
    }
    message.reply(new TopicDescription(request.name(), (short) 1, Map.of(), Map.of(), partitions));
  }
}
