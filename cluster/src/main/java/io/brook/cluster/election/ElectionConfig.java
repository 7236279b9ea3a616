package io.brook.cluster.election;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Timing of the controller election. The defaults are the values measured in
 * {@code controller-election.md} §8 against Hazelcast {@code max.no.heartbeat.seconds=6} and a
 * ZooKeeper session of 6 s: a frozen controller loses its lease (2.5 s) long before the cluster
 * manager hands the lock to someone else (about 6 s).
 */
public final class ElectionConfig extends AbstractConfig {
  public static final String LEASE_CHECK_INTERVAL_MS = "controller.lease.check.interval.ms";
  public static final String LEASE_MS = "controller.lease.ms";
  public static final String QUARANTINE_MS = "controller.quarantine.ms";
  public static final String LOCK_WAIT_MS = "controller.lock.wait.ms";
  public static final String PAUSE_THRESHOLD_MS = "controller.pause.threshold.ms";
  public static final String PROBATION_MS = "controller.probation.ms";
  public static final String PAUSE_STEPDOWN_MS = "controller.pause.stepdown.ms";
  public static final String STUCK_MS = "controller.stuck.ms";

  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(LEASE_CHECK_INTERVAL_MS, Type.LONG, 1000L, Range.atLeast(10), Importance.MEDIUM,
          "How often the controller checks that the cluster counter brook.controller.epoch still holds its epoch; "
              + "the same tick detects pauses of this JVM.")
      .define(LEASE_MS, Type.LONG, 2500L, Range.atLeast(20), Importance.HIGH,
          "The controller acts only while its last successful check started less than this long ago (monotonic clock); "
              + "must stay well below the cluster manager's failure detection (6 s).")
      .define(QUARANTINE_MS, Type.LONG, 15_000L, Range.atLeast(0), Importance.MEDIUM,
          "After a pause that cost this node its membership (or after resigning), stay out of the election and do not "
              + "release the lock for this long; covers Hazelcast's merge of a removed member.")
      .define(LOCK_WAIT_MS, Type.LONG, 2000L, Range.atLeast(1), Importance.LOW,
          "How long one attempt to take the cluster lock brook.controller waits (holds a worker thread) before retrying.")
      .define(PAUSE_THRESHOLD_MS, Type.LONG, 3000L, Range.atLeast(1), Importance.LOW,
          "A gap at least this long between two election ticks counts as a pause of this JVM (SIGSTOP, GC, blocked event "
              + "loop); shorter pauses cannot have cost the membership and only trigger an immediate check.")
      .define(PROBATION_MS, Type.LONG, 3000L, Range.atLeast(0), Importance.LOW,
          "After a pause, do not act and watch the membership this long; a member that left meanwhile means this node "
              + "was removed (Hazelcast) or its session expired (ZooKeeper): step down and quarantine.")
      .define(PAUSE_STEPDOWN_MS, Type.LONG, 5000L, Range.atLeast(1), Importance.LOW,
          "A pause at least this long counts as lost membership whatever the view says (step down and quarantine): "
              + "the cluster manager may already have replaced this node while its own view still lags. Keep it below "
              + "the cluster manager's failure detection (6 s).")
      .define(STUCK_MS, Type.LONG, 18_000L, Range.atLeast(1), Importance.LOW,
          "Liveness fallback: with no controller seen for this long (2 x broker.session.timeout.ms) while this node may "
              + "still hold a lock it could not release, the listener's onStuck asks the broker to leave and rejoin.");

  public ElectionConfig(Map<String, ?> values) {
    super(CONFIG_DEF, values, false);
    if (leaseMs() <= checkIntervalMs()) {
      throw new ConfigException(LEASE_MS, leaseMs(), "must be longer than " + LEASE_CHECK_INTERVAL_MS + " (" + checkIntervalMs()
          + "), or every late check would stop the controller");
    }
  }

  public static ElectionConfig defaults() {
    return new ElectionConfig(Map.of());
  }

  public long checkIntervalMs() {
    return getLong(LEASE_CHECK_INTERVAL_MS);
  }

  public long leaseMs() {
    return getLong(LEASE_MS);
  }

  public long quarantineMs() {
    return getLong(QUARANTINE_MS);
  }

  public long lockWaitMs() {
    return getLong(LOCK_WAIT_MS);
  }

  public long pauseThresholdMs() {
    return getLong(PAUSE_THRESHOLD_MS);
  }

  public long probationMs() {
    return getLong(PROBATION_MS);
  }

  public long pauseStepDownMs() {
    return getLong(PAUSE_STEPDOWN_MS);
  }

  public long stuckMs() {
    return getLong(STUCK_MS);
  }
}
