package io.brook.protocol;

import io.brook.protocol.message.AlterConfigsRequest;
import io.brook.protocol.message.CreatePartitionsRequest;
import io.brook.protocol.message.CreateTopicRequest;
import io.brook.protocol.message.DeleteTopicRequest;
import io.brook.protocol.message.DescribePartitionRequest;
import io.brook.protocol.message.DescribeTopicRequest;
import io.brook.protocol.message.ElectLeadersRequest;
import io.brook.protocol.message.ReassignPartitionRequest;
import java.util.List;
import org.apache.kafka.common.errors.InvalidTopicException;

/**
 * Topics that are Brook's own state, not data: the cluster metadata log ({@code __cluster_metadata})
 * and, later, committed offsets ({@code __consumer_offsets}). Every name starting with {@code __} is
 * reserved for them. Clients can neither create such a topic nor produce to, fetch, list, describe,
 * alter or delete one through any client interface; Brook's own components reach them through
 * internal and broker-local addresses only.
 */
public final class InternalTopics {
  public static final String PREFIX = "__";

  private InternalTopics() {}

  public static boolean isInternal(String topic) {
    return topic != null && topic.startsWith(PREFIX);
  }

  /** Refuses a client request that names an internal topic, with Kafka's INVALID_TOPIC_EXCEPTION. */
  public static void refuseIfInternal(String topic) {
    if (isInternal(topic)) {
      throw new InvalidTopicException("Topic '" + topic + "' is internal to Brook (names starting with '" + PREFIX
          + "' are reserved): clients cannot create, produce to, fetch, describe, alter or delete it");
    }
  }

  /** The same for every topic an admin request names (unknown request types name none). */
  public static void refuseIfInternal(Object request) {
    for (String topic : topicsOf(request)) {
      refuseIfInternal(topic);
    }
  }

  private static List<String> topicsOf(Object request) {
    if (request instanceof CreateTopicRequest r) {
      return single(r.name());
    } else if (request instanceof DeleteTopicRequest r) {
      return single(r.name());
    } else if (request instanceof AlterConfigsRequest r) {
      return single(r.name());
    } else if (request instanceof CreatePartitionsRequest r) {
      return single(r.name());
    } else if (request instanceof DescribeTopicRequest r) {
      return single(r.name());
    } else if (request instanceof ReassignPartitionRequest r) {
      return single(r.topic());
    } else if (request instanceof DescribePartitionRequest r) {
      return single(r.topic());
    } else if (request instanceof ElectLeadersRequest r) {
      // "topic:partition"; a topic name cannot contain ':'
      return r.partitions().stream().map(p -> p == null ? null : p.substring(0, Math.max(0, p.lastIndexOf(':'))))
          .toList();
    }
    return List.of();
  }

  private static List<String> single(String topic) {
    return topic == null ? List.of() : List.of(topic);
  }
}
