package io.brook.web.api;

/**
 * The record bytes one {@code GET .../records} may still decode, shared by the partitions it reads
 * ({@code http.fetch.max.bytes}). Records are charged at their uncompressed size in the batch
 * ({@code Record.sizeInBytes()}), which bounds the JSON the answer renders, compressed or not. A
 * record is taken while bytes are left, so the budget is overdrawn by at most one record, and the
 * first record of a read is always taken (progress). Confined to its verticle's event loop.
 */
final class ReadBudget {
  private long bytesLeft;

  ReadBudget(long bytes) {
    this.bytesLeft = bytes;
  }

  boolean isExhausted() {
    return bytesLeft <= 0;
  }

  long bytesLeft() {
    return Math.max(0, bytesLeft);
  }

  void spend(int bytes) {
    bytesLeft -= bytes;
  }
}
