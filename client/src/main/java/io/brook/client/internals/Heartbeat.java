package io.brook.client.internals;

/**
 * A group member's three clocks, as Kafka's {@code Heartbeat}: when the next heartbeat is due
 * ({@code heartbeat.interval.ms} after the last one sent; sooner, with a growing backoff, after one
 * failed), when the session ends without a heartbeat answered ({@code session.timeout.ms}: then the
 * coordinator is presumed gone and looked up again), and when the application has not polled for
 * too long ({@code max.poll.interval.ms}: then the member leaves the group). Plain state, time passed
 * in; owned by the consumer's context.
 */
final class Heartbeat {
  /** The backoff after failed heartbeats doubles up to this. */
  static final long MAX_BACKOFF_MS = 1000;

  private final int sessionTimeoutMs;
  private final int heartbeatIntervalMs;
  private final int maxPollIntervalMs;
  private final long retryBackoffMs;
  private long heartbeatDueMs;
  private long sessionDeadlineMs;
  private long pollDeadlineMs;
  private int failedInARow;
  private boolean inFlight;

  Heartbeat(int sessionTimeoutMs, int heartbeatIntervalMs, int maxPollIntervalMs, long retryBackoffMs, long nowMs) {
    if (heartbeatIntervalMs >= sessionTimeoutMs) {
      throw new IllegalArgumentException("Heartbeat must be set lower than the session timeout");
    }
    this.sessionTimeoutMs = sessionTimeoutMs;
    this.heartbeatIntervalMs = heartbeatIntervalMs;
    this.maxPollIntervalMs = maxPollIntervalMs;
    this.retryBackoffMs = retryBackoffMs;
    resetTimeouts(nowMs);
  }

  /** The application polled. */
  void poll(long nowMs) {
    pollDeadlineMs = nowMs + maxPollIntervalMs;
  }

  void sent(long nowMs) {
    inFlight = true;
    heartbeatDueMs = nowMs + heartbeatIntervalMs;
  }

  void failed(long nowMs) {
    inFlight = false;
    long backoff = Math.min(Math.max(retryBackoffMs, 1) << Math.min(failedInARow, 20), Math.max(retryBackoffMs,
        MAX_BACKOFF_MS));
    failedInARow++;
    heartbeatDueMs = nowMs + backoff;
  }

  void received(long nowMs) {
    inFlight = false;
    failedInARow = 0;
    sessionDeadlineMs = nowMs + sessionTimeoutMs;
  }

  boolean inFlight() {
    return inFlight;
  }

  boolean shouldHeartbeat(long nowMs) {
    return nowMs >= heartbeatDueMs;
  }

  long timeToNextHeartbeat(long nowMs) {
    return Math.max(0, heartbeatDueMs - nowMs);
  }

  boolean sessionTimeoutExpired(long nowMs) {
    return nowMs >= sessionDeadlineMs;
  }

  boolean pollTimeoutExpired(long nowMs) {
    return nowMs >= pollDeadlineMs;
  }

  /** The earliest of the three deadlines, from {@code nowMs}: when the member's timer must look again. */
  long timeToNextCheck(long nowMs) {
    long next = Math.min(heartbeatDueMs, Math.min(sessionDeadlineMs, pollDeadlineMs));
    return Math.max(0, next - nowMs);
  }

  /** A new generation's heartbeats start: every clock from now (Kafka: when the heartbeat thread is enabled). */
  void resetTimeouts(long nowMs) {
    inFlight = false;
    failedInARow = 0;
    heartbeatDueMs = nowMs + heartbeatIntervalMs;
    sessionDeadlineMs = nowMs + sessionTimeoutMs;
    pollDeadlineMs = nowMs + maxPollIntervalMs;
  }

  /** A coordinator was found: its session starts now. */
  void resetSessionTimeout(long nowMs) {
    sessionDeadlineMs = nowMs + sessionTimeoutMs;
  }
}
