package io.brook.web.api;

import io.brook.protocol.message.JsonRecords;
import io.brook.web.api.PartitionReader.Read;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.record.internal.Record;

/**
 * {@code GET /api/topics/:name/records}: reads records from one partition, or from several and
 * merges them by timestamp (each partition's order kept). Answers {@code {records, nextOffset,
 * highWatermark}}: numbers for a one-partition read, objects {@code {"<partition>": n}} for a merged
 * one; passing {@code offset=P:N,...} from that object continues it.
 *
 * <p>Limits: each partition reads at most its share of {@code limit} and of
 * {@code http.fetch.max.bytes}; every fetch asks for at most {@code http.max.partition.fetch.bytes};
 * the records decoded for one request never exceed {@code http.fetch.max.bytes} by more than one
 * record ({@link ReadBudget}). The records are rendered to JSON on a worker thread, never on the
 * event loop (which this verticle may share with brokers' verticles).
 *
 * <p>Long poll: when nothing is there and {@code maxWaitMs > 0}, every partition long-polls its
 * leader in rounds of at most {@link #LONG_POLL_ROUND_MS}; the first to bring records answers.
 * Short rounds bound how long a partition's fetch stays parked at its leader (each holds one of the
 * leader's {@code queued.max.requests} waiting-fetch slots) after another partition answered or the
 * HTTP client went away; no round starts after either. At most {@code http.max.long.polls} long
 * polls run at once per verticle instance; one more is refused with 429 THROTTLING_QUOTA_EXCEEDED.
 * Runs on its verticle's event loop.
 */
public final class ConsumeHandler {
  public static final int MAX_LIMIT = 10_000;
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_WAIT_MS = 30_000;
  /** The longest a long-poll fetch waits at a leader before the next round asks again. */
  public static final int LONG_POLL_ROUND_MS = 500;

  private final BrokerClient brokers;
  private final PartitionReader reader;
  private final long fetchMaxBytes;
  private final int maxLongPolls;
  private final long searchMaxScanMs;
  /** Long polls whose fetches are not all back yet; confined to the event loop. */
  private int longPolls;

  public ConsumeHandler(BrokerClient brokers, int maxPartitionFetchBytes, long fetchMaxBytes, int maxLongPolls,
      long searchMaxScanMs) {
    this.brokers = brokers;
    this.reader = new PartitionReader(maxPartitionFetchBytes);
    this.fetchMaxBytes = fetchMaxBytes;
    this.maxLongPolls = maxLongPolls;
    this.searchMaxScanMs = searchMaxScanMs;
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
    RecordFilter filter = RecordFilter.fromQuery(ctx);
    Integer scanParam = Params.optionalInt(ctx, "scanLimit", 1, RecordSearch.MAX_SCAN_LIMIT);
    if (filter != null) {
      int scanLimit = scanParam == null ? RecordSearch.DEFAULT_SCAN_LIMIT : scanParam;
      search(ctx, topic, partition, spec, limit, scanLimit, filter, encoding);
      return;
    }
    BrokerClient.of(ctx).topic(topic)
        .compose(metadata -> StartOffsets.resolve(BrokerClient.of(ctx), topic,
            StartOffsets.partitions(metadata, partition, spec), spec))
        .compose(starts -> readAll(ctx, topic, starts, limit, maxWaitMs))
        // rendering up to http.fetch.max.bytes of records as JSON is CPU work: not on the event loop
        .compose(reads -> ctx.vertx().executeBlocking(
            () -> answer(reads, limit, encoding, single).toBuffer(), false))
        .onSuccess(json -> Responses.json(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  /** A filtered read: {@link RecordSearch} (maxWaitMs does not apply: a search never long-polls). */
  private void search(RoutingContext ctx, String topic, Integer partition, StartOffsets.Spec spec, int limit,
      int scanLimit, RecordFilter filter, String encoding) {
    BrokerClient caller = BrokerClient.of(ctx);
    caller.topic(topic)
        .compose(metadata -> StartOffsets.resolve(caller, topic, StartOffsets.partitions(metadata, partition, spec), spec))
        .compose(starts -> new RecordSearch(ctx.vertx(), reader, caller, topic, starts, limit, scanLimit, fetchMaxBytes,
            filter, encoding, searchMaxScanMs).run(partition != null))
        .onSuccess(json -> Responses.json(ctx, 200, json))
        .onFailure(ctx::fail);
  }

  /** Reads every partition once; if all are empty and {@code maxWaitMs > 0}, long-polls them all. */
  private Future<List<Read>> readAll(RoutingContext ctx, String topic, Map<Integer, Long> starts, int limit,
      int maxWaitMs) {
    int partitions = Math.max(1, starts.size());
    int share = (limit + partitions - 1) / partitions;
    long bytesEach = Math.max(1, fetchMaxBytes / partitions);
    ReadBudget budget = new ReadBudget(fetchMaxBytes);
    return readEach(BrokerClient.of(ctx), topic, starts, share, bytesEach, budget, 0).compose(reads -> {
      boolean empty = reads.stream().allMatch(Read::isEmpty);
      if (!empty || maxWaitMs == 0) {
        return Future.succeededFuture(reads);
      }
      if (longPolls >= maxLongPolls) {
        return Future.failedFuture(new ThrottlingQuotaExceededException(longPolls + " long polls are in"
            + " progress on this HTTP verticle (http.max.long.polls); retry later or use maxWaitMs=0"));
      }
      LongPoll poll = new LongPoll(ctx, topic, starts, share, bytesEach, budget, reads,
          System.currentTimeMillis() + maxWaitMs);
      return poll.start();
    });
  }

  private Future<List<Read>> readEach(BrokerClient caller, String topic, Map<Integer, Long> starts, int share, long bytes,
      ReadBudget budget, int waitMs) {
    List<Future<Read>> reads = new ArrayList<>();
    starts.forEach((p, offset) -> reads.add(reader.read(caller, topic, p, offset, share, bytes, budget, waitMs)));
    return Future.all(reads).map(done -> {
      List<Read> out = new ArrayList<>();
      reads.forEach(read -> out.add(read.result()));
      return out;
    });
  }

  /**
   * One long poll: rounds of fetches with a short maxWait until a partition brings records, the
   * deadline passes or the HTTP client goes away. The first partition with records answers; the
   * others keep their start offsets (their late answers are dropped, nothing is consumed by
   * reading). Counted in {@link #longPolls} until the fetches of its last round are all back.
   */
  private final class LongPoll {
    final RoutingContext ctx;
    final String topic;
    final Map<Integer, Long> starts;
    final int share;
    final long bytes;
    final ReadBudget budget;
    final List<Read> emptyReads;
    final long deadlineMs;
    final Promise<List<Read>> first = Promise.promise();

    LongPoll(RoutingContext ctx, String topic, Map<Integer, Long> starts, int share, long bytes, ReadBudget budget,
        List<Read> emptyReads, long deadlineMs) {
      this.ctx = ctx;
      this.topic = topic;
      this.starts = starts;
      this.share = share;
      this.bytes = bytes;
      this.budget = budget;
      this.emptyReads = emptyReads;
      this.deadlineMs = deadlineMs;
    }

    Future<List<Read>> start() {
      longPolls++;
      round();
      return first.future();
    }

    private void round() {
      long leftMs = deadlineMs - System.currentTimeMillis();
      if (first.future().isComplete() || leftMs <= 0 || ctx.response().closed()) {
        longPolls--;
        first.tryComplete(emptyReads); // nobody waits any more, or the time is up with nothing
        return;
      }
      int waitMs = (int) Math.min(leftMs, LONG_POLL_ROUND_MS);
      List<Future<Read>> polls = new ArrayList<>();
      starts.forEach((p, offset) -> polls.add(reader.read(BrokerClient.of(ctx), topic, p, offset, share, bytes, budget, waitMs)
          .onSuccess(this::answerIfRecords)));
      Future.join(polls).onComplete(done -> {
        Throwable failure = polls.stream().filter(Future::failed).map(Future::cause).findFirst().orElse(null);
        if (failure != null && !first.future().isComplete()) {
          longPolls--;
          first.tryFail(failure);
          return;
        }
        round();
      });
    }

    private void answerIfRecords(Read read) {
      if (read.isEmpty()) {
        return;
      }
      List<Read> answer = new ArrayList<>(emptyReads);
      answer.replaceAll(empty -> empty.partition() == read.partition() ? read : empty);
      first.tryComplete(answer);
    }
  }

  /** Merges by timestamp, keeping each partition's order, and computes where each continues. */
  private static JsonObject answer(List<Read> reads, int limit, String encoding, boolean single) {
    assert !Context.isOnEventLoopThread() : "records are rendered to JSON on a worker thread, never an event loop";
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
