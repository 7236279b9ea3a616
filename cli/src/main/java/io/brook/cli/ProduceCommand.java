package io.brook.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brook produce TOPIC}: one record per stdin line, sent in batches ({@link LineProducer}),
 * each written exactly once under a producer id from the server (at least once with {@code --acks 0}
 * or against a server without {@code POST /api/producer-ids}, with a note on stderr).
 * With {@code --key-separator}, the text before the first separator is the key (a line without it
 * is an error, as in Kafka's console producer). Prints nothing on success.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
    description = "Produce one record per line of standard input.")
public final class ProduceCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TOPIC", converter = Arguments.TopicName.class)
  String topic;

  @Option(names = "--key-separator", paramLabel = "SEP",
      description = "Split each line into key SEP value at the first SEP.")
  String keySeparator;

  @Option(names = "--acks", paramLabel = "0|1|all", defaultValue = "all",
      description = "Acknowledgements to wait for: 0 none, 1 the leader, all the in-sync replicas (default: ${DEFAULT-VALUE}).")
  String acks;

  @Option(names = "--partition", paramLabel = "P", description = "Send every record to this partition.")
  Integer partition;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1000",
      description = "Most lines per request (default: ${DEFAULT-VALUE}); a request also stops at 512 KiB.")
  int batchSize;

  @Option(names = "--delivery-timeout-ms", paramLabel = "T", defaultValue = "120000",
      description = "Retry a request that failed with a retriable error (leader moved or down, not enough in-sync "
          + "replicas, timeout) until this long after its first attempt; 0: no retries (default: ${DEFAULT-VALUE}). "
          + "Each line is written exactly once: requests carry a producer id and sequence, and the leader drops "
          + "a retried request it already has (at least once with --acks 0, or against a server without "
          + "producer ids).")
  long deliveryTimeoutMs;

  static final long RETRY_BACKOFF_MS = 500;
  static final int MAX_BATCH_BYTES = 512 * 1024;
  static final int MAX_IN_FLIGHT = 8;

  @Override
  public Integer call() {
    validate();
    BrookHttp http = BrookCli.http(spec);
    Map<String, Object> metadata = http.get(TopicsCommand.topicPath(topic) + "/partitions");
    int partitions = Json.array(metadata.get("partitions")).size();
    if (partition != null && partition >= partitions) {
      // the broker's wording (BrokerClient.partitionOf), so the same mistake reads the same everywhere
      throw new CliException("UNKNOWN_TOPIC_OR_PARTITION: Topic '" + topic + "' has no partition " + partition
          + " (it has " + partitions + ")");
    }
    PrintWriter err = spec.commandLine().getErr();
    LineProducer.ProducerId producerId = null;
    if (!acks.equals("0")) { // with acks 0 nothing is answered: a refused sequence would go unseen
      producerId = LineProducer.newProducerId(http);
      if (producerId == null) {
        err.println("Note: this server hands out no producer ids (POST " + LineProducer.PRODUCER_IDS_PATH
            + "): delivery is at least once, a request retried after a failure may be written twice");
        err.flush();
      }
    }
    LineProducer producer = new LineProducer(http, topic, partitions, partition, acks, batchSize,
        MAX_BATCH_BYTES, MAX_IN_FLIGHT, deliveryTimeoutMs, RETRY_BACKOFF_MS, warning -> {
          err.println("Warning: " + warning);
          err.flush();
        }, producerId);
    BufferedReader lines = new BufferedReader(new InputStreamReader(BrookCli.stdin(spec), StandardCharsets.UTF_8), 1 << 16);
    try {
      readLines(lines, producer);
    } catch (CliException failed) {
      throw new CliException(failed.getMessage() + " (" + producer.acknowledged() + " record(s) acknowledged before)",
          failed);
    }
    return 0;
  }

  private void readLines(BufferedReader lines, LineProducer producer) {
    long lineNumber = 0;
    try {
      String line;
      while ((line = lines.readLine()) != null) {
        lineNumber++;
        if (keySeparator == null) {
          producer.send(null, line);
        } else {
          int at = line.indexOf(keySeparator);
          if (at < 0) {
            producer.close(); // the lines before it are sent, as Kafka's console producer does
            throw new CliException("line " + lineNumber + " has no key separator '" + keySeparator + "'");
          }
          producer.send(line.substring(0, at), line.substring(at + keySeparator.length()));
        }
        if (!lines.ready()) {
          producer.flush(); // nothing more to read right now: do not hold typed lines back
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    producer.close();
  }

  private void validate() {
    if (!acks.equals("0") && !acks.equals("1") && !acks.equals("all") && !acks.equals("-1")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--acks must be 0, 1 or all, was " + acks);
    }
    if (batchSize < 1 || batchSize > 10_000) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--batch-size must be 1..10000");
    }
    if (keySeparator != null && keySeparator.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--key-separator must not be empty");
    }
    if (partition != null && partition < 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--partition must be >= 0");
    }
    if (deliveryTimeoutMs < 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--delivery-timeout-ms must be >= 0");
    }
  }
}
