package io.brook.bench;

import java.util.List;

/** Nearest-rank percentiles of measured samples, for the perf tools that print p50/p99 of a few. */
final class Percentiles {
  private Percentiles() {}

  /** The p-th (0..1) nearest-rank percentile of {@code sorted} (ascending); 0 when there is none. */
  static long of(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
