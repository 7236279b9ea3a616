package io.brook.bench;

import java.util.List;
import picocli.CommandLine.Option;

/** The topic a perf command works on, created with these settings when it does not exist. */
public final class TopicOptions {
  @Option(names = "--topic", required = true, description = "Topic to use.")
  String topic;

  @Option(names = "--partitions", defaultValue = "1",
      description = "Partitions of the topic if it must be created (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--replication-factor", defaultValue = "1",
      description = "Replication factor of the topic if it must be created (default: ${DEFAULT-VALUE}).")
  short replicationFactor;

  @Option(names = "--topic-config", paramLabel = "KEY=VALUE",
      description = "Topic config if it must be created, repeatable (e.g. min.insync.replicas=2).")
  List<String> configs;
}
