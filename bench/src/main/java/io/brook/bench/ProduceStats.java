package io.brook.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Send-to-ack latencies and throughput of a produce run, printed like kafka-producer-perf-test:
 * a line per {@code reportingIntervalMs} window and a summary with percentiles at the end.
 *
 * <p>Thread ownership: {@link #record} is called on the producer's context only (record futures
 * complete there); {@link #printTotal} is called after the run's flush completed, which orders it
 * after every {@code record}.
 */
final class ProduceStats {
  static final double MB = 1024.0 * 1024.0;
  private static final long MAX_LATENCY_US = TimeUnit.MINUTES.toMicros(10);

  private final PrintWriter out;
  private final long reportingIntervalMs;
  private final Histogram latenciesUs = new Histogram(MAX_LATENCY_US, 3);
  private final long startMs;
  private long count;
  private long bytes;
  private long failed;
  private String firstError;
  private long windowStartMs;
  private long windowCount;
  private long windowBytes;
  private long windowLatencySumUs;
  private long windowMaxUs;

  ProduceStats(PrintWriter out, long reportingIntervalMs) {
    this.out = out;
    this.reportingIntervalMs = reportingIntervalMs;
    this.startMs = System.currentTimeMillis();
    this.windowStartMs = startMs;
  }

  void record(long sendStartNs, int recordBytes, Throwable failure) {
    long latencyUs = Math.min(MAX_LATENCY_US, (System.nanoTime() - sendStartNs) / 1000);
    if (failure != null) {
      failed++;
      if (firstError == null) {
        firstError = failure.toString();
      }
      return;
    }
    latenciesUs.recordValue(latencyUs);
    count++;
    bytes += recordBytes;
    windowCount++;
    windowBytes += recordBytes;
    windowLatencySumUs += latencyUs;
    windowMaxUs = Math.max(windowMaxUs, latencyUs);
    long nowMs = System.currentTimeMillis();
    if (nowMs - windowStartMs >= reportingIntervalMs) {
      printWindow(nowMs);
    }
  }

  private void printWindow(long nowMs) {
    double elapsedS = (nowMs - windowStartMs) / 1000.0;
    out.printf(Locale.ROOT, "%d records sent, %.1f records/sec (%.2f MB/sec), %.1f ms avg latency, %.1f ms max latency.%n",
        windowCount, windowCount / elapsedS, windowBytes / elapsedS / MB,
        windowLatencySumUs / 1000.0 / Math.max(1, windowCount), windowMaxUs / 1000.0);
    out.flush();
    windowStartMs = nowMs;
    windowCount = 0;
    windowBytes = 0;
    windowLatencySumUs = 0;
    windowMaxUs = 0;
  }

  /** The summary line (format documented in {@link ProducePerf}). */
  void printTotal() {
    double elapsedS = Math.max(1, System.currentTimeMillis() - startMs) / 1000.0;
    out.printf(Locale.ROOT, "%d records sent, %.1f records/sec (%.2f MB/sec), %.2f ms avg latency, %.2f ms max latency,"
            + " %.2f ms 50th, %.2f ms 99th, %.2f ms 99.9th.%n",
        count, count / elapsedS, bytes / elapsedS / MB, latenciesUs.getMean() / 1000.0,
        latenciesUs.getMaxValue() / 1000.0, percentileMs(50), percentileMs(99), percentileMs(99.9));
    if (failed > 0) {
      out.printf(Locale.ROOT, "%d records failed, the first with %s%n", failed, firstError);
    }
    out.flush();
  }

  private double percentileMs(double percentile) {
    return latenciesUs.getValueAtPercentile(percentile) / 1000.0;
  }

  long failed() {
    return failed;
  }
}
