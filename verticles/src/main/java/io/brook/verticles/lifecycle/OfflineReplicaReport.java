package io.brook.verticles.lifecycle;

import io.brook.metadata.MetadataImage;
import io.brook.metadata.PartitionRegistration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * The one line a broker logs at start when metadata says it hosts replicas whose data is in another
 * directory than its {@code data.dir} (a wrong {@code --data-dir}, a replaced disk): which will be
 * fetched again from a replica that has the data, which have no such replica (offline until the
 * broker runs on the right directory, or an unclean election gives their records up), and how to do
 * either. Stateless.
 */
final class OfflineReplicaReport {
  private static final int LISTED = 10;

  private OfflineReplicaReport() {}

  /** Empty when every replica of {@code nodeId} is online. */
  static Optional<String> of(MetadataImage image, int nodeId, String dataDir, String previousLogDir) {
    Map<TopicPartition, PartitionRegistration> offline =
        image.partitionsWhere((tp, p) -> p.isReplica(nodeId) && image.isOffline(p, nodeId));
    if (offline.isEmpty()) {
      return Optional.empty();
    }
    Map<Boolean, List<TopicPartition>> byLoss = offline.entrySet().stream().collect(Collectors.partitioningBy(
        e -> e.getValue().isr().stream().allMatch(id -> id == nodeId), Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
    List<TopicPartition> lost = byLoss.get(true);
    List<TopicPartition> refetched = byLoss.get(false);
    String writtenTo = offline.values().stream().map(p -> p.directory(nodeId)).distinct().sorted()
        .collect(Collectors.joining(", "));
    StringBuilder line = new StringBuilder("Broker ").append(nodeId).append("'s data dir ").append(dataDir)
        .append(" (directory ").append(image.directoryOf(nodeId)).append(") does not hold the data of ")
        .append(offline.size()).append(" of its replicas, written to directory ").append(writtenTo)
        .append(previousLogDir.isEmpty() ? "" : " at " + previousLogDir).append(": ");
    if (!refetched.isEmpty()) {
      line.append(refetched.size()).append(" will be fetched again from their in-sync replicas (")
          .append(listed(refetched, TopicPartition::toString)).append(")");
    }
    if (!lost.isEmpty()) {
      line.append(refetched.isEmpty() ? "" : "; ").append(lost.size())
          .append(lost.size() == 1 ? " has no other in-sync replica and stays offline ("
              : " have no other in-sync replica and stay offline (").append(listed(lost, TopicPartition::toString))
          .append("): to bring them back, stop this broker and start it on ")
          .append(previousLogDir.isEmpty() ? "the data dir whose meta.properties has that directory.id"
              : "data.dir " + previousLogDir + " (./run.sh --data-dir " + previousLogDir + ")")
          .append("; to give up their records instead: bin/brook partitions elect-leaders --type unclean ")
          .append(listed(lost, tp -> "--partition " + tp.topic() + ":" + tp.partition()).replace(",", ""));
    }
    return Optional.of(line.toString());
  }

  private static String listed(List<TopicPartition> partitions, java.util.function.Function<TopicPartition, String> shown) {
    String first = partitions.stream().limit(LISTED).map(shown).collect(Collectors.joining(", "));
    return partitions.size() > LISTED ? first + " and " + (partitions.size() - LISTED) + " more" : first;
  }
}
