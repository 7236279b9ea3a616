package io.brook.web.api;

import io.brook.protocol.message.JsonRecords;
import io.brook.web.api.PartitionReader.Read;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.record.internal.Record;

/**
 * {@code GET /api/topics/:name/records}: reads records from one partition, or from several and
 * merges them by timestamp (each partition's order kept). Answers {@code {records, nextOffset,
 * highWatermark}}: numbers for a one-partition read, objects {@code {"<partition>": n}} for a merged
 * one; passing {@code offset=P:N,...} from that object continues it. Each partition reads at most
 * its share of {@code limit}; when nothing is there, all partitions long-poll for {@code maxWaitMs}
 * and the first to bring records answers. Runs on its verticle's event loop.
 */
public final class ConsumeHandler {
  public static final int MAX_LIMIT = 10_000;
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_WAIT_MS = 30_000;

  private final BrokerClient brokers;
  private final PartitionReader reader;
  private final long fetchMaxBytes;

  public ConsumeHandler(BrokerClient brokers, int maxPartitionFetchBytes, long fetchMaxBytes) {
    this.brokers = brokers;
    this.reader = new PartitionReader(brokers, maxPartitionFetchBytes);
    this.fetchMaxBytes = fetchMaxBytes;
  }

  public void mount(Router router) {
    router.get("/api/topics/:name/records").handler(this::consume);
  }

  private void consume(RoutingContext ctx) {
    String topic = Params.topic(ctx);
    Integer partition = Params.optionalInt(ctx, "partition", 0, Integer.MAX_VALUE);
    StartOffsets.Spec spec = StartOffsets.parse(ctx.queryParams().get("offset"), ctx.queryParams().get("timestamp"));
    Integer limitParam = Params.optionalInt(ctx, "limit", 1, MAX_LIMIT);
    int limit = limitParam == null ? DEFAULT_LIMIT : limitParam;
    Integer waitParam = Params.optionalInt(ctx, "maxWaitMs", 0, MAX_WAIT_MS);
    int maxWaitMs = waitParam == null ? 0 : waitParam;
    String encoding = Params.string(ctx, "encoding", JsonRecords.UTF8);
    if (!JsonRecords.UTF8.equals(encoding) && !JsonRecords.BASE64.equals(encoding)) {
      throw new InvalidRequestException("encoding must be utf8 or base64, was " + encoding);
    }
    boolean single = partition != null;
    brokers.topic(topic)
        .compose(metadata -> StartOffsets.resolve(brokers, topic,
            StartOffsets.partitions(metadata, partition, spec), spec))
        .compose(starts -> readAll(topic, starts, limit, maxWaitMs))
        .onSuccess(reads -> Responses.json(ctx, 200, answer(reads, limit, encoding, single)))
        .onFailure(ctx::fail);
  }

  /** Reads every partition once; if all are empty and {@code maxWaitMs > 0}, long-polls them all. */
  private Future<List<Read>> readAll(String topic, Map<Integer, Long> starts, int limit, int maxWaitMs) {
    int share = (limit + starts.size() - 1) / Math.max(1, starts.size());
    long bytesEach = Math.max(64 * 1024, fetchMaxBytes / Math.max(1, starts.size()));
    return readEach(topic, starts, share, bytesEach, 0).compose(reads -> {
      boolean empty = reads.stream().allMatch(Read::isEmpty);
      if (!empty || maxWaitMs == 0) {
        return Future.succeededFuture(reads);
      }
      return longPoll(topic, starts, share, bytesEach, maxWaitMs, reads);
    });
  }

  private Future<List<Read>> readEach(String topic, Map<Integer, Long> starts, int share, long bytes, int waitMs) {
    List<Future<Read>> reads = new ArrayList<>();
    starts.forEach((p, offset) -> reads.add(reader.read(topic, p, offset, share, bytes, waitMs)));
    return Future.all(reads).map(done -> {
      List<Read> out = new ArrayList<>();
      reads.forEach(read -> out.add(read.result()));
      return out;
    });
  }

  /**
   * The first partition to bring records answers; the others keep their start offsets (their late
   * answers are dropped, nothing is consumed by reading). If none does, the empty reads answer.
   */
  private Future<List<Read>> longPoll(String topic, Map<Integer, Long> starts, int share, long bytes, int waitMs,
      List<Read> emptyReads) {
    Promise<List<Read>> first = Promise.promise();
    List<Future<Read>> polls = new ArrayList<>();
    starts.forEach((p, offset) -> polls.add(reader.read(topic, p, offset, share, bytes, waitMs)
        .onSuccess(read -> {
          if (!read.isEmpty()) {
            List<Read> answer = new ArrayList<>(emptyReads);
            answer.replaceAll(empty -> empty.partition() == read.partition() ? read : empty);
            first.tryComplete(answer);
          }
        })));
    Future.join(polls).onComplete(done -> {
      Throwable failure = polls.stream().filter(Future::failed).map(Future::cause).findFirst().orElse(null);
      if (failure != null) {
        first.tryFail(failure);
      } else {
        first.tryComplete(emptyReads);
      }
    });
    return first.future();
  }

  /** Merges by timestamp, keeping each partition's order, and computes where each continues. */
  private static JsonObject answer(List<Read> reads, int limit, String encoding, boolean single) {
    PriorityQueue<int[]> heads = new PriorityQueue<>((a, b) -> compareHeads(reads, a, b));
    for (int r = 0; r < reads.size(); r++) {
      if (!reads.get(r).isEmpty()) {
        heads.add(new int[] {r, 0});
      }
    }
    int[] taken = new int[reads.size()];
    JsonArray records = new JsonArray();
    while (!heads.isEmpty() && records.size() < limit) {
      int[] head = heads.poll();
      Read read = reads.get(head[0]);
      records.add(toJson(read.partition(), read.records().get(head[1]), encoding));
      taken[head[0]]++;
      if (head[1] + 1 < read.records().size()) {
        heads.add(new int[] {head[0], head[1] + 1});
      }
    }
    JsonObject next = new JsonObject();
    JsonObject highWatermarks = new JsonObject();
    for (int r = 0; r < reads.size(); r++) {
      Read read = reads.get(r);
      next.put(Integer.toString(read.partition()), nextOffset(read, taken[r]));
      highWatermarks.put(Integer.toString(read.partition()), read.highWatermark());
    }
    JsonObject answer = new JsonObject().put("records", records);
    if (single) {
      Read read = reads.get(0);
      return answer.put("nextOffset", nextOffset(read, taken[0])).put("highWatermark", read.highWatermark());
    }
    return answer.put("nextOffset", next).put("highWatermark", highWatermarks);
  }

  private static long nextOffset(Read read, int taken) {
    if (taken == read.records().size()) {
      return read.nextOffset();
    }
    return taken == 0 ? read.fromOffset() : read.records().get(taken - 1).offset() + 1;
  }

  private static int compareHeads(List<Read> reads, int[] a, int[] b) {
    Record ra = reads.get(a[0]).records().get(a[1]);
    Record rb = reads.get(b[0]).records().get(b[1]);
    int byTime = Long.compare(ra.timestamp(), rb.timestamp());
    return byTime != 0 ? byTime : Integer.compare(reads.get(a[0]).partition(), reads.get(b[0]).partition());
  }

  private static JsonObject toJson(int partition, Record record, String encoding) {
    return new JsonObject().put("partition", partition).mergeIn(JsonRecords.toJson(record, encoding));
  }
}
