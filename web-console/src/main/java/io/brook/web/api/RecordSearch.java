package io.brook.web.api;

import io.brook.protocol.message.JsonRecords;
import io.brook.web.api.PartitionReader.Read;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.kafka.common.record.internal.Record;

/**
 * A filtered read ({@code GET .../records?filter=...}): scans the partitions from their start
 * offsets in rounds (a fetch per partition, then the matching on a worker thread) until
 * {@code limit} records matched, {@code scanLimit} records were examined, the time bound
 * ({@code http.search.max.scan.ms}) passed, or every partition reached its high watermark.
 *
 * <p>Answer: the matched records merged by timestamp (each partition's order kept), {@code
 * nextOffset} right after the last record examined in each partition (so asking again with it scans
 * on), {@code highWatermark}, {@code scanned}, {@code matched} and {@code complete} (false when a
 * bound stopped the scan before the high watermark). Memory: a round holds at most one
 * {@code http.fetch.max.bytes} of fetched records; matched records are rendered to JSON at once
 * (their fetch buffers are let go) and stop the scan once they pass {@code http.fetch.max.bytes}.
 * A search object serves one request; its state is touched by one task at a time (event loop, then
 * worker, then event loop again).
 */
final class RecordSearch {
  static final int DEFAULT_SCAN_LIMIT = 10_000;
  static final int MAX_SCAN_LIMIT = 100_000;
  /** Records fetched per round over all partitions: small enough that one round's matching is quick. */
  static final int ROUND_RECORDS = 2_000;

  private final Vertx vertx;
  private final PartitionReader reader;
  private final BrokerClient caller;
  private final String topic;
  private final int limit;
  private final int scanLimit;
  private final long fetchMaxBytes;
  private final RecordFilter filter;
  private final String encoding;
  private final long deadlineNs;
  private final Map<Integer, Cursor> cursors = new LinkedHashMap<>();
  private long scanned;
  private long matched;
  private long matchedBytes;
  private boolean stoppedByBound;

  /** Where one partition's scan is. */
  private static final class Cursor {
    final int partition;
    long position;
    long highWatermark = -1;
    boolean atEnd;
    final List<JsonObject> matches = new ArrayList<>();

    Cursor(int partition, long position) {
      this.partition = partition;
      this.position = position;
    }
  }

  RecordSearch(Vertx vertx, PartitionReader reader, BrokerClient caller, String topic, Map<Integer, Long> starts,
      int limit, int scanLimit, long fetchMaxBytes, RecordFilter filter, String encoding, long maxScanMs) {
    this.vertx = vertx;
    this.reader = reader;
    this.caller = caller;
    this.topic = topic;
    this.limit = limit;
    this.scanLimit = scanLimit;
    this.fetchMaxBytes = fetchMaxBytes;
    this.filter = filter;
    this.encoding = encoding;
    this.deadlineNs = System.nanoTime() + maxScanMs * 1_000_000L;
    starts.forEach((p, offset) -> cursors.put(p, new Cursor(p, offset)));
  }

  /** Scans and answers the JSON body; {@code single}: one partition was asked for (numbers, not objects). */
  Future<JsonObject> run(boolean single) {
    return round().map(done -> answer(single));
  }

  private Future<Void> round() {
    List<Cursor> active = cursors.values().stream().filter(c -> !c.atEnd).toList();
    if (active.isEmpty() || matched >= limit || scanned >= scanLimit || matchedBytes >= fetchMaxBytes) {
      stoppedByBound |= !active.isEmpty();
      return Future.succeededFuture();
    }
    if (System.nanoTime() - deadlineNs > 0) {
      stoppedByBound = true;
      return Future.succeededFuture();
    }
    long chunk = Math.min(scanLimit - scanned, ROUND_RECORDS);
    int share = (int) Math.max(1, (chunk + active.size() - 1) / active.size());
    long bytesEach = Math.max(1, fetchMaxBytes / active.size());
    ReadBudget budget = new ReadBudget(fetchMaxBytes);
    List<Future<Read>> reads = new ArrayList<>();
    for (Cursor c : active) {
      reads.add(reader.read(caller, topic, c.partition, c.position, share, bytesEach, budget, 0));
    }
    return Future.all(reads)
        .compose(all -> vertx.executeBlocking(() -> examine(reads), false))
        .compose(go -> go ? round() : Future.succeededFuture());
  }

  /** Matches one round's records (worker thread); false when a bound stopped it. */
  private boolean examine(List<Future<Read>> reads) {
    for (Future<Read> future : reads) {
      Read read = future.result();
      Cursor cursor = cursors.get(read.partition());
      cursor.highWatermark = read.highWatermark();
      for (Record record : read.records()) {
        if (matched >= limit || scanned >= scanLimit || matchedBytes >= fetchMaxBytes) {
          stoppedByBound = true;
          return false;
        }
        boolean hit;
        try {
          hit = filter.matches(record, deadlineNs);
        } catch (RecordFilter.DeadlineExceeded e) {
          stoppedByBound = true;
          return false; // this record was not examined to the end: the next scan starts with it
        }
        scanned++;
        cursor.position = record.offset() + 1;
        if (hit) {
          matched++;
          matchedBytes += record.sizeInBytes();
          cursor.matches.add(new JsonObject().put("partition", read.partition())
              .mergeIn(JsonRecords.toJson(record, encoding)));
        }
        if ((scanned & 63) == 0 && System.nanoTime() - deadlineNs > 0) {
          stoppedByBound = true;
          return false;
        }
      }
      // past the last record: a batch may end beyond it (compaction), and an empty read is at the end
      cursor.position = Math.max(cursor.position, read.nextOffset());
      cursor.atEnd = read.isEmpty() || cursor.position >= cursor.highWatermark;
    }
    return true;
  }

  private JsonObject answer(boolean single) {
    JsonArray records = new JsonArray();
    List<Cursor> all = new ArrayList<>(cursors.values());
    PriorityQueue<int[]> heads = new PriorityQueue<>(Comparator.<int[]>comparingLong(
        h -> all.get(h[0]).matches.get(h[1]).getLong("timestamp")).thenComparingInt(h -> h[2]));
    for (int i = 0; i < all.size(); i++) {
      if (!all.get(i).matches.isEmpty()) {
        heads.add(new int[] {i, 0, all.get(i).partition});
      }
    }
    while (!heads.isEmpty()) {
      int[] head = heads.poll();
      List<JsonObject> matches = all.get(head[0]).matches;
      records.add(matches.get(head[1]));
      if (head[1] + 1 < matches.size()) {
        heads.add(new int[] {head[0], head[1] + 1, head[2]});
      }
    }
    JsonObject answer = new JsonObject().put("records", records);
    if (single) {
      Cursor c = all.get(0);
      answer.put("nextOffset", c.position).put("highWatermark", c.highWatermark);
    } else {
      JsonObject next = new JsonObject();
      JsonObject highWatermarks = new JsonObject();
      all.forEach(c -> {
        next.put(Integer.toString(c.partition), c.position);
        highWatermarks.put(Integer.toString(c.partition), c.highWatermark);
      });
      answer.put("nextOffset", next).put("highWatermark", highWatermarks);
    }
    boolean complete = !stoppedByBound && all.stream().allMatch(c -> c.atEnd);
    return answer.put("scanned", scanned).put("matched", matched).put("complete", complete);
  }
}
