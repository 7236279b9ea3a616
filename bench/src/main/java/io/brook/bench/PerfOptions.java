package io.brook.bench;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every perf command shares, mixed in with {@code @Mixin}: the cluster it joins
 * ({@link ClusterOptions}), the topic it works on ({@link TopicOptions}) and the command's output.
 */
public final class PerfOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Mixin
  ClusterOptions cluster;

  @Mixin
  TopicOptions topic;

  /** The command's output: standard out, or what the caller set on the command line. */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  String topicName() {
    return topic.topic;
  }

  /** Joins the cluster as a client; the caller closes the session. */
  PerfSession join() throws Exception {
    return PerfSession.join(cluster.toClusterConfig());
  }

  /**
   * Creates the topic with {@code --partitions}, {@code --replication-factor} and {@code --topic-config}
   * unless it exists,
   * then waits until every partition has a leader.
   *
   * @return the topic's partition count
   */
  int ensureTopic(PerfSession session) throws Exception {
    Map<String, String> configs = new HashMap<>();
    ClientProps.putAll(topic.configs, configs, spec);
    return session.ensureTopic(topic.topic, topic.partitions, topic.replicationFactor, configs, out());
  }
}
