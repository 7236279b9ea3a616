package io.brook.web.bridge;

/**
 * When the bridge ends a connection by time: {@code bridge.frame.read.timeout.ms} after the first
 * byte of a frame that is still incomplete (a slow-loris client trickling a frame holds a connection
 * slot and buffered bytes, and is closed however steadily it trickles), and
 * {@code bridge.idle.timeout.ms} after a connection was last busy: it received bytes, had a frame
 * under way or a request waiting for an answer (a long poll is not idleness). Checked by one
 * periodic sweep per bridge, never a timer per frame. Pure: the caller passes the time.
 */
record BridgeTimeouts(long idleMs, long frameReadMs) {
  static final String FRAME_TIMEOUT = "frame_timeout";
  static final String IDLE_TIMEOUT = "idle_timeout";

  BridgeTimeouts {
    if (idleMs <= 0 || frameReadMs <= 0) {
      throw new IllegalArgumentException("timeouts must be positive: idle " + idleMs + ", frame " + frameReadMs);
    }
  }

  /** How often the sweep runs: a tenth of the shorter timeout, within 10 ms .. 1 s. */
  long sweepPeriodMs() {
    return Math.max(10, Math.min(1000, Math.min(idleMs, frameReadMs) / 10));
  }

  /**
   * The err message to close a connection with at {@code nowMs}, or null to keep it. {@code lastBusyMs}:
   * when the connection was last seen with a request waiting for an answer (or -1).
   */
  String expired(FrameReader reader, long lastBusyMs, long nowMs) {
    long frameStart = reader.frameStartMs();
    if (frameStart >= 0) {
      return nowMs - frameStart >= frameReadMs ? FRAME_TIMEOUT + ": a frame was not completed within "
          + frameReadMs + " ms of its first byte (bridge.frame.read.timeout.ms); closing" : null;
    }
    long quietSince = Math.max(reader.lastReadMs(), lastBusyMs);
    return nowMs - quietSince >= idleMs ? IDLE_TIMEOUT + ": nothing received and nothing asked for " + idleMs
        + " ms (bridge.idle.timeout.ms); closing" : null;
  }
}
