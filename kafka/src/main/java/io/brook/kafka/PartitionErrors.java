package io.brook.kafka;

import java.util.Set;
import org.apache.kafka.common.protocol.Errors;

/** Errors of a partition request that mean its leader should be looked up again. */
final class PartitionErrors {
  private static final Set<Errors> MOVED = Set.of(Errors.NOT_LEADER_OR_FOLLOWER, Errors.LEADER_NOT_AVAILABLE,
      Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.FENCED_LEADER_EPOCH, Errors.UNKNOWN_LEADER_EPOCH,
      Errors.REQUEST_TIMED_OUT);

  private PartitionErrors() {}

  static boolean leaderMayHaveMoved(Errors error) {
    return MOVED.contains(error);
  }
}
