package io.brook.verticles.partition;

import io.brook.protocol.message.FetchRequest;
import io.vertx.core.eventbus.Message;

/** A fetch being served: its request, the byte limit after clamping, how to answer, and its long-poll timer. */
final class WaitingFetch {
  final Message<?> message;
  final FetchRequest request;
  final int maxBytes;
  /** The caller sends file regions itself: answer with the segment's slice, not a copy. */
  final boolean fileRecords;
  long timerId = -1;

  WaitingFetch(Message<?> message, FetchRequest request, int maxBytes, boolean fileRecords) {
    this.message = message;
    this.request = request;
    this.maxBytes = maxBytes;
    this.fileRecords = fileRecords;
  }

  long offset() {
    return request.fetchOffset();
  }

  int minBytes() {
    return Math.max(1, request.minBytes());
  }
}
