package io.brook.verticles.partition;

import io.brook.protocol.message.FetchRequest;
import io.vertx.core.eventbus.Message;

/** A fetch being served: its request, the byte limit after clamping, and its long-poll timer. */
final class WaitingFetch {
  final Message<?> message;
  final FetchRequest request;
  final int maxBytes;
  long timerId = -1;

  WaitingFetch(Message<?> message, FetchRequest request, int maxBytes) {
    this.message = message;
    this.request = request;
    this.maxBytes = maxBytes;
  }

  long offset() {
    return request.fetchOffset();
  }

  int minBytes() {
    return Math.max(1, request.minBytes());
  }
}
