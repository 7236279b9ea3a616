package io.brook.client;

import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;

/** A rebalance listener that adds "revoked [..]", "assigned [..]" and "lost [..]" to a list, in call order. */
public final class RecordingListener implements ConsumerRebalanceListener {
  private final List<String> events;

  public RecordingListener(List<String> events) {
    this.events = events;
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    events.add("revoked " + partitions);
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    events.add("assigned " + partitions);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    events.add("lost " + partitions);
  }
}
