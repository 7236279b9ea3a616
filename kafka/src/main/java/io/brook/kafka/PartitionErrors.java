package io.brook.kafka;

import java.util.Set;
import org.apache.kafka.common.protocol.Errors;

/** Errors of Brook's answers as Kafka's: the ones that mean a partition's leader should be looked up again, and by name. */
final class PartitionErrors {
  private static final Set<Errors> MOVED = Set.of(Errors.NOT_LEADER_OR_FOLLOWER, Errors.LEADER_NOT_AVAILABLE,
      Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.FENCED_LEADER_EPOCH, Errors.UNKNOWN_LEADER_EPOCH,
      Errors.REQUEST_TIMED_OUT);

  private PartitionErrors() {}

  static boolean leaderMayHaveMoved(Errors error) {
    return MOVED.contains(error);
  }

  /** Brook's error names are Kafka's; null is none, and a name Kafka does not know reads as an unknown server error. */
  static Errors named(String name) {
    if (name == null) {
      return Errors.NONE;
    }
    try {
      return Errors.valueOf(name);
    } catch (IllegalArgumentException unknown) {
      return Errors.UNKNOWN_SERVER_ERROR;
    }
  }
}
