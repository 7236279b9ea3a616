package io.brook.verticles.replica;

import io.brook.protocol.Addresses;
import io.brook.protocol.BrookErrors;
import io.brook.protocol.message.PartitionDescription;
import io.brook.verticles.partition.DescribePartition;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.LeaderNotAvailableException;

/**
 * The role of a hosted replica while its partition has no leader (every in-sync replica is down
 * and unclean election is off): it keeps the log and tells clients to wait for a leader.
 */
public final class LeaderlessReplicaVerticle extends VerticleBase {
  private final TopicPartition partition;

  public LeaderlessReplicaVerticle(TopicPartition partition) {
    this.partition = partition;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus()
        .localConsumer(Addresses.localLeader(partition.topic(), partition.partition()), this::dispatch)
        .completion();
  }

  private void dispatch(Message<Object> message) {
    if (message.body() instanceof DescribePartition) {
      message.reply(new PartitionDescription(partition.partition(), -1, -1, List.of(), List.of(), -1, -1, -1, -1, 0));
    } else {
      BrookErrors.fail(message, new LeaderNotAvailableException("Partition " + partition + " has no leader now"));
    }
  }
}
