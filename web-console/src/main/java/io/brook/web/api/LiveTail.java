package io.brook.web.api;

import io.brook.protocol.message.JsonRecords;
import io.brook.web.api.PartitionReader.Read;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.internal.Record;

/**
 * {@code GET /api/topics/:name/tail}: streams a topic's records as they are committed, from the high
 * watermark at open, as {@code event: records} with {@code {records: [...], dropped}}.
 *
 * <p>Each partition long-polls its leader ({@link #POLL_WAIT_MS} rounds), so an idle tail costs a
 * fetch per partition every half second and a record reaches the browser within a round trip of
 * its commit. The browser gets at most {@code maxRecordsPerSec} records a second (default 200, at
 * most 2000); the rest are skipped and counted in the next event's {@code dropped} (an event with no
 * records carries the count when nothing else is sent for a second). A partition that falls more
 * than {@link #MAX_LAG_SECONDS} seconds' worth of records behind its high watermark jumps ahead and
 * counts the records it passed as dropped: a tail samples a fast topic, it never reads all of it,
 * so a 10,000 records/s topic costs its leader little more than a consumer reading 2 x the cap. A
 * client slower than the stream (full write queue) gets nothing more until it drains, and what it
 * missed is counted as dropped. Once a second's records are sent, or while the client does not
 * read, the partitions wait before fetching again ({@link #pauseMs}). Filters ({@code filter}, as in the search) and rendering run on a
 * worker thread.
 *
 * <p>Threads: the polls, the counters and the stream run on the request's event loop; the worker
 * step touches only its own records.
 */
final class LiveTail {
  static final int DEFAULT_RECORDS_PER_SEC = 200;
  static final int MAX_RECORDS_PER_SEC = 2_000;
  static final int POLL_WAIT_MS = 500;
  static final int MAX_LAG_SECONDS = 2;
  static final long RETRY_MS = 1_000;
  static final long SLOW_CLIENT_PAUSE_MS = 250;

  private final Vertx vertx;
  private final PartitionReader reader;
  private final BrokerClient caller;
  private final String topic;
  private final Map<Integer, Long> positions;
  private final String encoding;
  private final RecordFilter filter;
  private final int maxRecordsPerSec;
  private final long bytesPerPoll;
  private final long maxFilterMs;
  private final ServerSentEvents events;
  private long windowStartMs;
  private int sentInWindow;
  private long dropped;
  private long lastSentMs;

  LiveTail(Vertx vertx, PartitionReader reader, BrokerClient caller, String topic, Map<Integer, Long> starts,
      String encoding, RecordFilter filter, int maxRecordsPerSec, long fetchMaxBytes, long maxFilterMs,
      ServerSentEvents events) {
    this.vertx = vertx;
    this.reader = reader;
    this.caller = caller;
    this.topic = topic;
    this.positions = new java.util.LinkedHashMap<>(starts);
    this.encoding = encoding;
    this.filter = filter;
    this.maxRecordsPerSec = maxRecordsPerSec;
    this.bytesPerPoll = Math.max(1, fetchMaxBytes / Math.max(1, starts.size()));
    this.maxFilterMs = maxFilterMs;
    this.events = events;
  }

  /** One fetch per partition at its start, without waiting: the caller's READ is checked before the stream opens. */
  Future<Void> checkReadable() {
    List<Future<Read>> reads = new ArrayList<>();
    positions.forEach((p, offset) -> reads.add(reader.read(caller, topic, p, offset, 1, 1, new ReadBudget(1), 0)));
    return Future.all(reads).mapEmpty();
  }

  void start() {
    events.start();
    windowStartMs = System.currentTimeMillis();
    lastSentMs = windowStartMs;
    long flush = vertx.setPeriodic(1_000, id -> flushDropped());
    events.onClose(() -> vertx.cancelTimer(flush));
    positions.keySet().forEach(this::poll);
  }

  private void poll(int partition) {
    if (events.isClosed()) {
      return;
    }
    long from = positions.get(partition);
    reader.read(caller, topic, partition, from, maxRecordsPerSec, bytesPerPoll, new ReadBudget(bytesPerPoll),
            POLL_WAIT_MS)
        .compose(read -> {
          positions.put(partition, Math.max(from, read.nextOffset()));
          skipAheadIfBehind(partition, read.highWatermark());
          if (read.isEmpty() || events.isClosed()) {
            return Future.succeededFuture();
          }
          int room = roomNow();
          if (room == 0 || !events.writable()) {
            dropped += read.records().size();
            return Future.succeededFuture();
          }
          return vertx.executeBlocking(() -> render(read.records(), partition, room), false).map(rendered -> {
            offer(rendered.records(), rendered.matched());
            return null;
          });
        })
        .onComplete(done -> {
          if (events.isClosed()) {
            return;
          }
          if (done.failed()) {
            // leader moved, broker down, ACL changed: say so, and try again in a while
            events.send("error", EventStreamsHandler.errorBody(done.cause()));
            vertx.setTimer(RETRY_MS, id -> poll(partition));
            return;
          }
          long pauseMs = pauseMs();
          if (pauseMs > 0) {
            vertx.setTimer(pauseMs, id -> poll(partition));
          } else {
            poll(partition);
          }
        });
  }

  /**
   * How long to wait before the next fetch: until the next second when this one's records are all
   * sent, a while when the client is not reading; else none (an empty fetch has long-polled already).
   * So a flood costs the leader about a fetch per partition per second, not a fetch per round trip.
   */
  private long pauseMs() {
    if (roomNow() == 0) {
      return Math.max(1, windowStartMs + 1_000 - System.currentTimeMillis());
    }
    return events.writable() ? 0 : SLOW_CLIENT_PAUSE_MS;
  }

  private void skipAheadIfBehind(int partition, long highWatermark) {
    long position = positions.get(partition);
    long maxLag = (long) maxRecordsPerSec * MAX_LAG_SECONDS;
    if (highWatermark - position > maxLag) {
      long to = highWatermark - maxRecordsPerSec;
      dropped += to - position; // offsets passed over: records, but for compaction's gaps
      positions.put(partition, to);
    }
  }

  private int roomNow() {
    long nowMs = System.currentTimeMillis();
    if (nowMs - windowStartMs >= 1_000) {
      windowStartMs = nowMs;
      sentInWindow = 0;
    }
    return maxRecordsPerSec - sentInWindow;
  }

  /** The records that pass the filter, rendered, at most {@code room} of them; the others are counted. */
  private record Rendered(JsonArray records, int matched) {}

  private Rendered render(List<Record> records, int partition, int room) {
    long deadlineNs = System.nanoTime() + maxFilterMs * 1_000_000L;
    JsonArray out = new JsonArray();
    int matched = 0;
    for (Record record : records) {
      boolean hit;
      try {
        hit = filter == null || filter.matches(record, deadlineNs);
      } catch (RecordFilter.DeadlineExceeded e) {
        hit = false; // a filter that cannot keep up: the rest of this read is not shown
      }
      if (hit) {
        matched++;
        if (out.size() < room) {
          out.add(new JsonObject().put("partition", partition).mergeIn(JsonRecords.toJson(record, encoding)));
        }
      }
    }
    return new Rendered(out, matched);
  }

  private void offer(JsonArray records, int matched) {
    int room = roomNow(); // another partition may have sent in between
    while (records.size() > room) {
      records.remove(records.size() - 1);
    }
    dropped += matched - records.size();
    if (records.isEmpty()) {
      return;
    }
    if (events.send("records", new JsonObject().put("records", records).put("dropped", dropped))) {
      sentInWindow += records.size();
      dropped = 0;
      lastSentMs = System.currentTimeMillis();
    } else {
      dropped += records.size();
    }
  }

  /** A second without an event but with skipped records: the count goes out alone. */
  private void flushDropped() {
    if (dropped > 0 && System.currentTimeMillis() - lastSentMs >= 1_000
        && events.send("records", new JsonObject().put("records", new JsonArray()).put("dropped", dropped))) {
      dropped = 0;
      lastSentMs = System.currentTimeMillis();
    }
  }
}
