package io.brook.verticles.controller;

import io.brook.metadata.ControllerView;
import io.brook.protocol.message.ClusterDescription;
import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import io.brook.metadata.TopicImage;
import io.brook.protocol.message.BrokerDescription;
import io.brook.protocol.message.PartitionMetadata;
import io.brook.protocol.message.TopicMetadata;
import java.util.ArrayList;
import java.util.List;

/** The metadata module's views as the protocol's messages. */
public final class WireViews {
  private WireViews() {}

  public static TopicMetadata topic(TopicImage topic, MetadataImage image) {
    List<PartitionMetadata> partitions = new ArrayList<>();
    for (int p = 0; p < topic.partitionCount(); p++) {
      partitions.add(partition(p, topic.partitions().get(p), image));
    }
    return new TopicMetadata(topic.name(), null, (short) topic.replicationFactor(), partitions,
        topic.topicId().toString());
  }

  public static PartitionMetadata partition(int partition, PartitionRegistration registration, MetadataImage image) {
    return new PartitionMetadata(partition, registration.leader(), registration.leaderEpoch(), registration.replicas(),
        registration.isr(), registration.replicas().stream().filter(id -> image.isOffline(registration, id)).toList());
  }

  public static ClusterDescription cluster(ControllerView cluster, MetadataImage image) {
    List<BrokerDescription> brokers = cluster.brokers().stream().map(b -> new BrokerDescription(b.nodeId(),
        b.registration().host(), b.registration().httpPort(), b.registration().bridgePort(), b.registration().brokerEpoch(),
        b.registration().state().name(), b.lastHeartbeatAgeMs(), image.partitionsLedBy(b.nodeId()).size(),
        image.replicasOn(b.nodeId()).size())).toList();
    return new ClusterDescription(cluster.controllerId(), cluster.controllerEpoch(), brokers,
        null);
  }
}
