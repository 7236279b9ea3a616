package io.brook.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

/**
 * Turns records into batched {@code POST .../records} requests, like Kafka's producer: records are
 * partitioned here (a fixed partition, else Kafka's murmur2 of the key, else a sticky partition that
 * moves on round-robin with each batch sent), collected per partition, and a batch is sent when it
 * holds {@code maxBatchRecords} or {@code maxBatchBytes}, or on {@link #flush}. Requests of one
 * partition are chained (one in flight, so its records keep their order); different partitions'
 * requests run in parallel, at most {@code maxInFlight} at once. {@link #send} blocks when that
 * window is full, which bounds memory.
 *
 * <p>A request that fails with a retriable error (HTTP 503 or 429: the leader moved or died, not enough
 * in-sync replicas for the moment, a timeout) is sent again after {@code retryBackoffMs}, in its place
 * in the partition's chain, until {@code deliveryTimeoutMs} after its first attempt. Each retry streak
 * is reported through {@code warn}.
 *
 * <p>Exactly once, given a producer id ({@code POST /api/producer-ids}, {@link #newProducerId}): each
 * request carries {@code producerId}, {@code producerEpoch} and its partition's next
 * {@code baseSequence}, taken when the request's turn in the chain comes (so after every earlier
 * request of the partition was acknowledged), and keeps them across retries: a leader that already
 * wrote it answers the copy with the first offsets instead of writing it again. A refusal of the
 * sequence ({@code OUT_OF_ORDER_SEQUENCE_NUMBER}, {@code UNKNOWN_PRODUCER_ID},
 * {@code INVALID_PRODUCER_EPOCH}) makes the partition take a new producer id and send the request
 * again at sequence 0; see {@link #isSequenceRefusal} for why that neither loses nor doubles a line.
 * Without a producer id (a server older than the route, or acks=0) delivery is at least once: a
 * request that timed out may have been written, and its retry is written again.
 *
 * <p>{@link #send} and {@link #flush} are called by one thread; HTTP completions run on the
 * client's threads and only touch the atomics and the semaphore.
 */
final class LineProducer {
  private final BrookHttp http;
  private final String path;
  private final int partitionCount;
  private final Integer fixedPartition;
  private final String acks;
  private final int maxBatchRecords;
  private final int maxBatchBytes;
  private final long deliveryTimeoutMs;
  private final long retryBackoffMs;
  private final Consumer<String> warn;
  private final Semaphore window;
  private final Batch[] batches;
  /** Per partition, the last request sent: the next one is chained after it. */
  private final List<CompletableFuture<Void>> tails = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicLong acknowledged = new AtomicLong();
  /** Per partition, its producer id and next sequence; null without idempotence. */
  private final Sequences[] sequences;
  private int stickyPartition;

  /** The route that hands out producer ids. */
  static final String PRODUCER_IDS_PATH = "/api/producer-ids";

  /** A producer id and its epoch, from {@code POST /api/producer-ids}. */
  record ProducerId(long id, short epoch) {}

  /**
   * A new producer id, or null when the server has no {@code POST /api/producer-ids} (a Brook older than
   * idempotent HTTP produce answers 404 or 405). Any other error is thrown.
   */
  static ProducerId newProducerId(BrookHttp http) {
    try {
      return BrookHttp.join(newProducerIdAsync(http));
    } catch (ApiException failed) {
      if (failed.status() == 404 || failed.status() == 405) {
        return null;
      }
      throw failed;
    }
  }

  static CompletableFuture<ProducerId> newProducerIdAsync(BrookHttp http) {
    return http.sendAsync("POST", PRODUCER_IDS_PATH, null).thenApply(answer -> new ProducerId(
        ((Number) answer.get("producerId")).longValue(), ((Number) answer.get("producerEpoch")).shortValue()));
  }

  LineProducer(BrookHttp http, String topic, int partitionCount, Integer fixedPartition, String acks,
      int maxBatchRecords, int maxBatchBytes, int maxInFlight, long deliveryTimeoutMs, long retryBackoffMs,
      Consumer<String> warn) {
    this(http, topic, partitionCount, fixedPartition, acks, maxBatchRecords, maxBatchBytes, maxInFlight,
        deliveryTimeoutMs, retryBackoffMs, warn, null);
  }

  /** @param producerId the id every partition starts numbering under; null: no idempotence (at least once) */
  LineProducer(BrookHttp http, String topic, int partitionCount, Integer fixedPartition, String acks,
      int maxBatchRecords, int maxBatchBytes, int maxInFlight, long deliveryTimeoutMs, long retryBackoffMs,
      Consumer<String> warn, ProducerId producerId) {
    this.http = http;
    this.deliveryTimeoutMs = deliveryTimeoutMs;
    this.retryBackoffMs = retryBackoffMs;
    this.warn = warn;
    this.path = TopicsCommand.topicPath(topic) + "/records";
    this.partitionCount = partitionCount;
    this.fixedPartition = fixedPartition;
    this.acks = acks;
    this.maxBatchRecords = maxBatchRecords;
    this.maxBatchBytes = maxBatchBytes;
    this.window = new Semaphore(maxInFlight);
    this.batches = new Batch[partitionCount];
    this.sequences = producerId == null ? null : new Sequences[partitionCount];
    for (int p = 0; p < partitionCount; p++) {
      tails.add(CompletableFuture.completedFuture(null));
      if (producerId != null) {
        sequences[p] = new Sequences(producerId);
      }
    }
    this.stickyPartition = (int) Math.floorMod(System.nanoTime(), (long) partitionCount);
  }

  /** Adds a record (key may be null); sends its partition's batch when full. */
  void send(String key, String value) {
    throwIfFailed();
    int partition = partitionOf(key);
    Batch batch = batches[partition];
    if (batch == null) {
      batch = batches[partition] = new Batch(partition, acks);
    }
    batch.add(key, value);
    if (batch.count >= maxBatchRecords || batch.size() >= maxBatchBytes) {
      dispatch(partition);
    }
  }

  /** Sends every non-empty batch now (stdin has nothing more for the moment). */
  void flush() {
    for (int p = 0; p < partitionCount; p++) {
      if (batches[p] != null) {
        dispatch(p);
      }
    }
  }

  /** Sends what is left and waits for every answer; the first failure is thrown. */
  long close() {
    flush();
    try {
      CompletableFuture.allOf(tails.toArray(new CompletableFuture<?>[0])).join();
    } catch (RuntimeException failed) {
      // recorded in 'failure' by the request that failed
    }
    throwIfFailed();
    return acknowledged.get();
  }

  long acknowledged() {
    return acknowledged.get();
  }

  private int partitionOf(String key) {
    if (fixedPartition != null) {
      return fixedPartition;
    }
    if (key != null) {
      return BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitionCount);
    }
    return stickyPartition;
  }

  private void dispatch(int partition) {
    Batch batch = batches[partition];
    batches[partition] = null;
    if (partition == stickyPartition) {
      stickyPartition = (stickyPartition + 1) % partitionCount;
    }
    window.acquireUninterruptibly();
    throwIfFailed(); // the wait may have seen a failure: stop before sending more
    byte[] fields = batch.finish();
    int records = batch.count;
    tails.set(partition, tails.get(partition)
        .thenCompose(previous -> {
          // the partition's turn: everything sent before on it is acknowledged, so the sequence follows it
          Request request = new Request(fields, partition, records, System.currentTimeMillis());
          if (sequences != null) {
            request.stamp = sequences[partition].take(records);
          }
          return sendWithRetries(request, 1);
        })
        .handle((answer, error) -> {
          window.release();
          if (error != null) {
            failure.compareAndSet(null, error instanceof CompletionException && error.getCause() != null
                ? error.getCause() : error);
            throw new CompletionException(error);
          }
          acknowledged.addAndGet(records);
          return null;
        }));
  }

  /**
   * Sends the request; retries it while its failure is retriable (or, with a producer id, a refused
   * sequence) and the delivery timeout allows. A retry sends the same lines under the same producer id
   * and sequence, unless the sequence was refused: then the partition first takes a new producer id.
   */
  private CompletableFuture<Map<String, Object>> sendWithRetries(Request request, int attempt) {
    int partition = request.partition;
    return attempt(request).handle((answer, error) -> {
      if (error == null) {
        if (attempt > 1) {
          warn.accept("Partition " + partition + ": " + request.records + " record(s) delivered after " + attempt
              + " attempts");
        }
        return CompletableFuture.completedFuture(answer);
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      boolean refused = request.stamp != null && isSequenceRefusal(cause);
      long now = System.currentTimeMillis();
      if (!(isRetriable(cause) || refused) || failure.get() != null
          || now + retryBackoffMs - request.firstAttemptMs > deliveryTimeoutMs) {
        return CompletableFuture.<Map<String, Object>>failedFuture(cause);
      }
      if (refused) {
        request.newProducerId = true;
        warn.accept("Partition " + partition + ": " + cause.getMessage() + "; sending " + request.records
            + " record(s) again under a new producer id");
      } else if (attempt == 1) {
        warn.accept("Partition " + partition + ": " + cause.getMessage() + "; retrying " + request.records
            + " record(s)");
      }
      return CompletableFuture.runAsync(() -> { },
              CompletableFuture.delayedExecutor(retryBackoffMs, TimeUnit.MILLISECONDS))
          .thenCompose(waited -> sendWithRetries(request, attempt + 1));
    }).thenCompose(next -> next);
  }

  /** One attempt: a new producer id first when the last attempt's sequence was refused. */
  private CompletableFuture<Map<String, Object>> attempt(Request request) {
    if (!request.newProducerId) {
      return http.sendAsync("POST", path, request.body());
    }
    return newProducerIdAsync(http).thenCompose(id -> {
      request.stamp = sequences[request.partition].restart(id).take(request.records);
      request.newProducerId = false;
      return http.sendAsync("POST", path, request.body());
    });
  }

  /**
   * The leader refused the request's sequence, and wrote nothing of it: {@code OUT_OF_ORDER_SEQUENCE_NUMBER}
   * (the sequence does not follow its last batch of this producer), {@code UNKNOWN_PRODUCER_ID} or
   * {@code INVALID_PRODUCER_EPOCH} (it knows a newer epoch of the id). Sending the request again at
   * sequence 0 under a new producer id is safe:
   * <ul>
   *   <li>no acknowledged line is sent again: a partition has one request in flight, and its sequence
   *       is taken only once every earlier request of the partition was acknowledged, so the refused
   *       request is the partition's only unacknowledged one, and the later ones have no sequence yet;</li>
   *   <li>the refused lines are not written twice: a leader whose log held them (written by an earlier
   *       attempt, here or on a leader it replicated) would hold them as this producer's newest batch on
   *       the partition, one of the five it remembers, and answer the copy as a duplicate, not refuse it;</li>
   *   <li>nor lost: they are sent again, and a leader accepts a producer id it has never seen at
   *       sequence 0; the partition's later requests follow from there.</li>
   * </ul>
   * The other partitions keep their ids: sequences are per partition.
   */
  static boolean isSequenceRefusal(Throwable failure) {
    return failure instanceof ApiException api && (api.error().equals("OUT_OF_ORDER_SEQUENCE_NUMBER")
        || api.error().equals("UNKNOWN_PRODUCER_ID") || api.error().equals("INVALID_PRODUCER_EPOCH"));
  }

  /** The API's answer for errors worth another attempt: 503 (retriable broker errors) and 429 (throttled). */
  static boolean isRetriable(Throwable failure) {
    return failure instanceof ApiException api && (api.status() == 503 || api.status() == 429);
  }

  private void throwIfFailed() {
    Throwable failed = failure.get();
    if (failed instanceof CliException cli) {
      throw cli;
    }
    if (failed != null) {
      throw new CliException(String.valueOf(failed), failed);
    }
  }

  /** A partition's numbering: the producer id its requests carry and the sequence of the next one. Used in its chain only. */
  private static final class Sequences {
    private ProducerId producer;
    private int next;

    Sequences(ProducerId producer) {
      this.producer = producer;
    }

    /** The stamp of a request of {@code records} lines, the next in the partition's sequence. */
    Stamp take(int records) {
      Stamp stamp = new Stamp(producer, next);
      // as Kafka's DefaultRecordBatch.incrementSequence: past Integer.MAX_VALUE, sequences wrap to 0
      next = next > Integer.MAX_VALUE - records ? records - (Integer.MAX_VALUE - next) - 1 : next + records;
      return stamp;
    }

    /** Numbering starts over under a new producer id. */
    Sequences restart(ProducerId newProducer) {
      producer = newProducer;
      next = 0;
      return this;
    }
  }

  /** The producer fields of one request. */
  record Stamp(ProducerId producer, int baseSequence) {}

  /** One request of a partition's chain, with what its retries keep. */
  private static final class Request {
    final byte[] fields;
    final int partition;
    final int records;
    final long firstAttemptMs;
    /** Null without idempotence; the same across retries unless the sequence was refused. */
    Stamp stamp;
    boolean newProducerId;

    Request(byte[] fields, int partition, int records, long firstAttemptMs) {
      this.fields = fields;
      this.partition = partition;
      this.records = records;
      this.firstAttemptMs = firstAttemptMs;
    }

    /** {@code {"producerId", "producerEpoch", "baseSequence",} + the batch's fields. */
    byte[] body() {
      String head = stamp == null ? "{" : "{\"producerId\":" + stamp.producer().id() + ",\"producerEpoch\":"
          + stamp.producer().epoch() + ",\"baseSequence\":" + stamp.baseSequence() + ",";
      byte[] start = head.getBytes(StandardCharsets.US_ASCII);
      byte[] body = new byte[start.length + fields.length];
      System.arraycopy(start, 0, body, 0, start.length);
      System.arraycopy(fields, 0, body, start.length, fields.length);
      return body;
    }
  }

  /**
   * One request body being written, without its opening brace (the producer fields go first, once the
   * request's turn comes): {@code "partition", "acks", "records": [{key, value}...]}}.
   */
  private static final class Batch {
    final StringBuilder json = new StringBuilder(64 * 1024);
    int count;

    Batch(int partition, String acks) {
      json.append("\"partition\":").append(partition).append(",\"acks\":\"").append(acks).append("\",\"records\":[");
    }

    void add(String key, String value) {
      json.append(count == 0 ? "{" : ",{");
      if (key != null) {
        Json.quote(json.append("\"key\":"), key).append(',');
      }
      Json.quote(json.append("\"value\":"), value).append('}');
      count++;
    }

    /** Characters so far: bytes for ASCII text, a fair bound on a request's size otherwise. */
    int size() {
      return json.length();
    }

    byte[] finish() {
      return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
  }
}
