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
 * in the partition's chain, until {@code deliveryTimeoutMs} after its first attempt: delivery is at
 * least once (a request that timed out may have been written), as with Kafka's producer without
 * idempotence. Each retry streak is reported through {@code warn}.
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
  private int stickyPartition;

  LineProducer(BrookHttp http, String topic, int partitionCount, Integer fixedPartition, String acks,
      int maxBatchRecords, int maxBatchBytes, int maxInFlight, long deliveryTimeoutMs, long retryBackoffMs,
      Consumer<String> warn) {
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
    for (int p = 0; p < partitionCount; p++) {
      tails.add(CompletableFuture.completedFuture(null));
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
    byte[] body = batch.finish();
    int records = batch.count;
    tails.set(partition, tails.get(partition)
        .thenCompose(previous -> sendWithRetries(body, partition, records, System.currentTimeMillis(), 1))
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

  /** Sends the request; retries it while its failure is retriable and the delivery timeout allows. */
  private CompletableFuture<Map<String, Object>> sendWithRetries(byte[] body, int partition, int records,
      long firstAttemptMs, int attempt) {
    return http.sendAsync("POST", path, body).handle((answer, error) -> {
      if (error == null) {
        if (attempt > 1) {
          warn.accept("Partition " + partition + ": " + records + " record(s) delivered after " + attempt + " attempts");
        }
        return CompletableFuture.completedFuture(answer);
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      long now = System.currentTimeMillis();
      if (!isRetriable(cause) || failure.get() != null || now + retryBackoffMs - firstAttemptMs > deliveryTimeoutMs) {
        return CompletableFuture.<Map<String, Object>>failedFuture(cause);
      }
      if (attempt == 1) {
        warn.accept("Partition " + partition + ": " + cause.getMessage() + "; retrying " + records + " record(s)");
      }
      return CompletableFuture.runAsync(() -> { },
              CompletableFuture.delayedExecutor(retryBackoffMs, TimeUnit.MILLISECONDS))
          .thenCompose(waited -> sendWithRetries(body, partition, records, firstAttemptMs, attempt + 1));
    }).thenCompose(next -> next);
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

  /** One request body being written: {@code {"partition", "acks", "records": [{key, value}...]}}. */
  private static final class Batch {
    final StringBuilder json = new StringBuilder(64 * 1024);
    int count;

    Batch(int partition, String acks) {
      json.append("{\"partition\":").append(partition).append(",\"acks\":\"").append(acks).append("\",\"records\":[");
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
