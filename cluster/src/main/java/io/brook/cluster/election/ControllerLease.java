package io.brook.cluster.election;

import java.util.Collection;
import java.util.List;

/**
 * The time-based part of the election (notes §8.2.4–5), with no Vert.x and no I/O: every method
 * is handed {@code now} from the injected {@link MonotonicClock}.
 *
 * <ul>
 *   <li><b>Lease.</b> The controller may act only while its last successful check <em>started</em>
 *       less than {@code controller.lease.ms} ago. Counting from the start, not the answer, means an
 *       answer that was in flight across a freeze cannot revive a stale controller.
 *   <li><b>Pause.</b> A gap of at least {@code controller.pause.threshold.ms} between two ticks is a
 *       pause of this JVM: no acting, and probation for {@code controller.probation.ms} while the
 *       membership is compared with the one seen before the pause.
 *   <li><b>Long pause.</b> A pause of {@code controller.pause.stepdown.ms} or more is treated as lost
 *       membership at once: the others may already have removed this node while its view still lags.
 *   <li><b>Quarantine.</b> A member missing after a pause (or this node itself missing) means the pause
 *       cost the membership: for {@code controller.quarantine.ms}, and then until the view has healed
 *       (at most three more periods), no campaigning and no lock release, which covers a Hazelcast
 *       merge and keeps a node on the minority side of a split out of the election.
 * </ul>
 *
 * <p>Thread ownership: mutated only on the election's context; {@link #mayAct} and {@link #epoch} may be
 * read from any thread (volatile fields).
 */
final class ControllerLease {
  /** What a tick found. */
  enum Tick { NORMAL, PAUSED, ON_PROBATION, RESUMED, MEMBERSHIP_LOST, LONG_PAUSE }

  /** Beyond the first quarantine period, how many more a node waits for a view that does not heal. */
  private static final long MAX_QUARANTINE_PERIODS_AFTER = 3;
  private static final long HEAL_POLL_MS = 500;

  private final long leaseNanos;
  private final long pauseNanos;
  private final long stepDownPauseNanos;
  private final long probationNanos;
  private final long quarantineNanos;

  private volatile long epoch;           // > 0 while this node is the controller
  private volatile long leaseFrom;       // start of the last successful check
  private volatile boolean onProbation;
  private long probationUntil;
  private long quarantineUntil;
  private boolean quarantined;
  private boolean ticked;
  private long lastTick;
  private long lastPause;
  private Collection<String> lastNodes = List.of();  // membership at the last normal tick
  private int seenSize;                              // members at the last tick that could read the view
  private boolean seenSelf;
  private Collection<String> baseline = List.of();   // membership before the pause being watched

  ControllerLease(ElectionConfig config) {
    this.leaseNanos = config.leaseMs() * 1_000_000L;
    this.pauseNanos = config.pauseThresholdMs() * 1_000_000L;
    this.stepDownPauseNanos = config.pauseStepDownMs() * 1_000_000L;
    this.probationNanos = config.probationMs() * 1_000_000L;
    this.quarantineNanos = config.quarantineMs() * 1_000_000L;
  }

  long epoch() {
    return epoch;
  }

  boolean mayAct(long now) {
    return epoch > 0 && !onProbation && now - leaseFrom < leaseNanos;
  }

  /** Became controller of {@code newEpoch}; the allocation that proved it started at {@code startedAt}. */
  void elected(long newEpoch, long startedAt) {
    leaseFrom = startedAt;
    epoch = newEpoch;
  }

  /** A check started at {@code startedAt} found the counter still at my epoch. */
  void confirmed(long startedAt) {
    if (startedAt - leaseFrom > 0) {
      leaseFrom = startedAt;
    }
  }

  /** Stops being controller at once; returns the epoch given up (0 if none). */
  long resign() {
    long e = epoch;
    epoch = 0;
    return e;
  }

  /**
   * One beat of the periodic tick: detects pauses and watches the membership after one.
   *
   * @param nodes the cluster manager's current view, or null if it could not be read
   */
  Tick tick(long now, Collection<String> nodes, String self) {
    if (nodes != null) {
      seenSize = nodes.size();
      seenSelf = nodes.contains(self);
    }
    long gap = ticked ? now - lastTick : 0;
    ticked = true;
    lastTick = now;
    if (gap >= pauseNanos) {
      if (!onProbation) {
        baseline = lastNodes; // the view from before the pause; the cluster manager may already have changed it
      }
      onProbation = true;
      probationUntil = now + probationNanos;
      lastPause = gap;
      if (gap >= stepDownPauseNanos) {
        quarantine(now);
        return Tick.LONG_PAUSE;
      }
      return lost(nodes, self) ? quarantine(now) : Tick.PAUSED;
    }
    if (onProbation) {
      if (lost(nodes, self)) {
        return quarantine(now);
      }
      if (now - probationUntil < 0) {
        return Tick.ON_PROBATION;
      }
      onProbation = false;
      remember(nodes);
      return Tick.RESUMED;
    }
    remember(nodes);
    return Tick.NORMAL;
  }

  private void remember(Collection<String> nodes) {
    if (nodes != null) {
      lastNodes = List.copyOf(nodes);
    }
  }

  /** Any member of the pre-pause view missing, this node included, means the pause cost the membership. */
  private boolean lost(Collection<String> nodes, String self) {
    return nodes != null && (!nodes.contains(self) || !nodes.containsAll(baseline));
  }

  private Tick quarantine(long now) {
    onProbation = false;
    quarantined = true;
    quarantineUntil = now + quarantineNanos;
    return Tick.MEMBERSHIP_LOST;
  }

  boolean onProbation() {
    return onProbation;
  }

  /** The length of the last pause detected, in nanoseconds. */
  long lastPauseNanos() {
    return lastPause;
  }

  /**
   * Quarantine lasts {@code controller.quarantine.ms}, and then until the membership has healed (this
   * node and as many members as before the pause): a node cut off by a split would otherwise win the
   * lock of its own minority island and allocate an epoch the majority side already uses. If members
   * really died meanwhile the view never heals: it ends anyway after four quarantine periods.
   */
  boolean quarantined(long now) {
    if (quarantined && now - quarantineUntil >= 0
        && (healed() || now - quarantineUntil - MAX_QUARANTINE_PERIODS_AFTER * quarantineNanos >= 0)) {
      quarantined = false;
    }
    return quarantined;
  }

  private boolean healed() {
    return seenSelf && seenSize >= baseline.size();
  }

  long quarantineRemainingMs(long now) {
    if (!quarantined(now)) {
      return 0;
    }
    long remaining = (quarantineUntil - now) / 1_000_000L;
    return remaining > 0 ? remaining : HEAL_POLL_MS; // waiting for the view to heal: look again soon
  }

  /** Not safe to campaign, allocate or release the lock: on probation after a pause, or quarantined. */
  boolean unsafe(long now) {
    return onProbation || quarantined(now);
  }
}
