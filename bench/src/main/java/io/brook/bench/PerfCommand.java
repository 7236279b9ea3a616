package io.brook.bench;

import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code perf}: the performance tools, as Kafka's kafka-producer-perf-test, kafka-consumer-perf-test
 * and EndToEndLatency, over the Java client on the clustered event bus. Registered as
 * {@code bin/brook perf}; {@link #main} runs it standalone.
 */
@Command(name = "brook perf", mixinStandardHelpOptions = true, // its usage lines read as the user types them
    description = "Measure Brook: producer throughput and latency, consumer throughput, end-to-end latency, failover time.",
    subcommands = {ProducePerf.class, ConsumePerf.class, EndToEndPerf.class, FailoverPerf.class, MetadataPerf.class,
        CommitPerf.class, RebalancePerf.class})
public final class PerfCommand implements Runnable {
  /** Strong references: JUL forgets levels set on loggers nobody holds. */
  private static final Logger[] QUIETED = {
      Logger.getLogger("com.hazelcast"), Logger.getLogger("org.apache.zookeeper"),
      Logger.getLogger("org.apache.curator"), Logger.getLogger("io.netty"), Logger.getLogger("org.apache.kafka")};

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.config.file") == null) {
      for (Logger logger : QUIETED) {
        // stdout is the report; a cluster member's chatter (Hazelcast's membership and module-access
        // warnings, ZooKeeper's reconnects) would drown it on stderr: only errors, as conf/logging.properties
        logger.setLevel(Level.SEVERE);
      }
    }
    System.setProperty("hazelcast.phone.home.enabled", "false");
    int code = new CommandLine(new PerfCommand()).execute(args);
    System.exit(code);
  }
}
