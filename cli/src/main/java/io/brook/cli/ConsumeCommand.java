package io.brook.cli;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brook consume TOPIC}: prints record values, one per line, like Kafka's console consumer
 * (or, with {@code --format json}, every field of each record: partition, offset, timestamp, key,
 * value, headers; {@code --encoding base64} for binary data):
 * from the end of every partition unless told otherwise, until {@code --max-messages} records or
 * {@code --timeout-ms} without a new record, else until Ctrl-C; then "Processed a total of N
 * messages" on stderr. Reads in bulk: one merged read of all partitions per request
 * ({@code offset=P:N,...}), up to 10,000 records each, long-polling when caught up.
 *
 * <p>With {@code --group}: a member of that consumer group (the node runs the group consumer for it,
 * {@code POST /api/groups/G/consumers}): it reads the partitions the group gives it, from the group's
 * committed offsets (else the end, or the beginning with {@code --from-beginning}), and commits what
 * it has printed after each batch. Stopped (Ctrl-C, the limits), it commits and leaves the group at
 * once; killed, the node closes its consumer after {@code http.consumer.instance.timeout.ms} and the
 * others read on from its last commit.
 */
@Command(name = "consume", mixinStandardHelpOptions = true, description = "Print the records of a topic.")
public final class ConsumeCommand implements Callable<Integer> {
  static final int MAX_RECORDS_PER_REQUEST = 10_000;
  static final int POLL_WAIT_MS = 1_000;
  static final long RETRY_BACKOFF_MS = 500;
  static final long RETRY_TIMEOUT_MS = 120_000;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TOPIC", converter = Arguments.TopicName.class)
  String topic;

  @Option(names = "--partition", paramLabel = "P", description = "Read only this partition.")
  Integer partition;

  @Option(names = "--offset", paramLabel = "earliest|latest|N", defaultValue = "latest",
      description = "Where to start (default: ${DEFAULT-VALUE}); a number N needs --partition.")
  String offset;

  /** Epoch ms, never negative: the API would read -1 and -2 as latest and earliest. */
  @Option(names = "--from-time", paramLabel = "ISO8601", converter = Arguments.EpochMs.class,
      description = "Start at the first record at or after this time: " + Arguments.EpochMs.FORMS
          + ", from 1970-01-01T00:00:00Z on.")
  Long fromTime;

  @Option(names = "--group", paramLabel = "GROUP",
      description = "Consume as a member of this consumer group, committing what is printed.")
  String group;

  @Option(names = "--from-beginning",
      description = "With --group: a partition the group has no committed offset for starts at the beginning "
          + "(else at the end).")
  boolean fromBeginning;

  @Option(names = "--max-messages", paramLabel = "N", description = "Stop after N records.")
  Long maxMessages;

  @Option(names = "--timeout-ms", paramLabel = "T", description = "Stop when no record arrived for T ms.")
  Long timeoutMs;

  @Option(names = "--print-key", description = "Print key SEP value.")
  boolean printKey;

  @Option(names = "--print-offset", description = "Prefix each line with Partition:P<TAB>Offset:N<TAB>.")
  boolean printOffset;

  @Option(names = "--key-separator", paramLabel = "SEP", defaultValue = "\t",
      description = "Separator between key and value with --print-key (default: tab).")
  String keySeparator;

  @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
      description = "text: the value (and what the --print-* options add) a line; json: one JSON object a line with "
          + "partition, offset, timestamp, key, value and headers (an object of name: value), null for a null key "
          + "or value (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--encoding", paramLabel = "utf8|base64", defaultValue = "utf8",
      description = "How keys, values and header values are printed: as UTF-8 text, or base64 for binary data, "
          + "byte for byte (default: ${DEFAULT-VALUE}).")
  String encoding;

  private long printed;
  /** Set by Ctrl-C in group mode: the loop finishes its batch, commits, leaves the group, then counts down. */
  private volatile boolean stopping;
  private final java.util.concurrent.CountDownLatch left = new java.util.concurrent.CountDownLatch(1);

  @Override
  public Integer call() {
    validate();
    BrookHttp http = BrookCli.http(spec);
    PrintWriter out = spec.commandLine().getOut();
    Thread hook = new Thread(() -> {
      if (group != null) { // the loop commits what it printed and leaves the group
        stopping = true;
        try {
          left.await(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      finish(out);
    });
    Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C: flush and report like Kafka's consumer
    try {
      if (group != null) {
        consumeInGroup(http, out);
      } else {
        consume(http, out);
      }
    } finally {
      out.flush();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      return 0; // Ctrl-C or SIGTERM made the loop end: the hook reports
    }
    finish(out);
    return 0;
  }

  /** One request's records (at most {@code limit}, waiting up to {@code waitMs} for the first). */
  private interface Source {
    List<Object> read(long limit, long waitMs);
  }

  private void consume(BrookHttp http, PrintWriter out) {
    String[] position = {firstPosition()};
    printUntilDone(out, (limit, waitMs) -> {
      Map<String, Object> answer = readWithRetries(http, TopicsCommand.topicPath(topic) + "/records?" + position[0]
          + "&limit=" + limit + "&maxWaitMs=" + waitMs + "&encoding=" + encoding);
      position[0] = nextPosition(answer.get("nextOffset"));
      return Json.array(answer.get("records"));
    }, printedRecords -> { });
  }

  private void consumeInGroup(BrookHttp http, PrintWriter out) {
    String consumers = "/api/groups/" + BrookHttp.encode(group) + "/consumers";
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("topics", List.of(topic));
    body.put("autoOffsetReset", fromBeginning ? "earliest" : "latest");
    body.put("clientId", "brook-cli");
    body.put("maxRecords", MAX_RECORDS_PER_REQUEST);
    String instance = consumers + "/" + BrookHttp.encode(Json.text(http.post(consumers,
        TopicsCommand.bytes(Json.write(body))), "instanceId"));
    try {
      printUntilDone(out, (limit, waitMs) -> Json.array(readWithRetries(http, instance + "/records?limit=" + limit
          + "&maxWaitMs=" + waitMs + "&encoding=" + encoding).get("records")), printedRecords -> commit(http, instance, printedRecords));
    } finally {
      try {
        // everything handed out was printed: commit the positions (empty partitions too), leave the group now
        http.delete(instance + "?commit=positions");
      } catch (RuntimeException gone) {
        warn("leaving the group failed (" + gone.getMessage() + "); the node closes the consumer when it times out");
      }
      left.countDown();
    }
  }

  /**
   * Reads and prints until {@code --max-messages}, {@code --timeout-ms} without a record, stdout
   * closed, or (group mode) Ctrl-C; {@code printed} gets the records of each batch once printed.
   */
  private void printUntilDone(PrintWriter out, Source source, java.util.function.Consumer<List<Object>> printed) {
    long lastRecordAtMs = System.currentTimeMillis();
    while (!stopping && (maxMessages == null || this.printed < maxMessages)) {
      long limit = Math.min(MAX_RECORDS_PER_REQUEST, maxMessages == null ? Long.MAX_VALUE : maxMessages - this.printed);
      long waitMs = timeoutMs == null ? POLL_WAIT_MS
          : Math.max(0, Math.min(POLL_WAIT_MS, timeoutMs - (System.currentTimeMillis() - lastRecordAtMs)));
      List<Object> records = source.read(limit, waitMs);
      int count = print(records, out);
      if (out.checkError() || System.out.checkError()) {
        // stdout closed (e.g. piped into head); picocli's writer wraps System.out, which hides the error
        return;
      }
      if (count > 0) {
        printed.accept(records.subList(0, count));
        lastRecordAtMs = System.currentTimeMillis();
      } else if (timeoutMs != null && System.currentTimeMillis() - lastRecordAtMs >= timeoutMs) {
        return;
      }
    }
  }

  /** Commits the next offset after the printed records of each partition. */
  private static void commit(BrookHttp http, String instance, List<Object> printedRecords) {
    Map<String, Map<String, Object>> next = new java.util.LinkedHashMap<>();
    for (Object item : printedRecords) {
      Map<String, Object> record = Json.object(item);
      Map<String, Object> offset = new java.util.LinkedHashMap<>();
      offset.put("topic", Json.text(record, "topic"));
      offset.put("partition", Json.number(record, "partition"));
      offset.put("offset", Json.number(record, "offset") + 1);
      next.put(Json.text(record, "topic") + "-" + Json.number(record, "partition"), offset);
    }
    http.post(instance + "/offsets", TopicsCommand.bytes(Json.write(Map.of("offsets", new java.util.ArrayList<>(
        next.values())))));
  }

  /**
   * One read; a retriable failure (HTTP 503 or 429: a leader moved or is down) is read again every
   * {@link #RETRY_BACKOFF_MS} for up to {@link #RETRY_TIMEOUT_MS}, with a warning on stderr, as Kafka's
   * consumer keeps polling through a failover. Reads are idempotent: the same position is asked again.
   */
  private Map<String, Object> readWithRetries(BrookHttp http, String path) {
    long firstFailureMs = -1;
    while (true) {
      try {
        Map<String, Object> answer = http.get(path);
        if (firstFailureMs >= 0) {
          warn("reading again after " + (System.currentTimeMillis() - firstFailureMs) + " ms");
        }
        return answer;
      } catch (ApiException failure) {
        long now = System.currentTimeMillis();
        if (!LineProducer.isRetriable(failure) || firstFailureMs >= 0 && now - firstFailureMs > RETRY_TIMEOUT_MS) {
          throw failure;
        }
        if (firstFailureMs < 0) {
          firstFailureMs = now;
          warn(failure.getMessage() + "; retrying");
        }
        try {
          Thread.sleep(RETRY_BACKOFF_MS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw failure;
        }
      }
    }
  }

  private void warn(String warning) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("Warning: " + warning);
    err.flush();
  }

  private String firstPosition() {
    String where = fromTime != null ? "timestamp=" + fromTime : "offset=" + offset;
    return partition == null ? where : "partition=" + partition + "&" + where;
  }

  private String nextPosition(Object next) {
    if (next instanceof Number offsetNumber) {
      return "partition=" + partition + "&offset=" + offsetNumber.longValue();
    }
    StringBuilder offsets = new StringBuilder("offset=");
    Iterator<Map.Entry<String, Object>> fields = Json.object(next).entrySet().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, Object> field = fields.next();
      offsets.append(field.getKey()).append("%3A").append(((Number) field.getValue()).longValue());
      if (fields.hasNext()) {
        offsets.append("%2C");
      }
    }
    return offsets.toString();
  }

  private int print(List<Object> records, PrintWriter out) {
    int count = 0;
    StringBuilder lines = new StringBuilder();
    for (Object item : records) {
      Map<String, Object> record = Json.object(item);
      if (maxMessages != null && printed + count >= maxMessages) {
        break;
      }
      if (format.equals("json")) {
        // fixed field order, so that a line can be compared as text
        Map<String, Object> line = new java.util.LinkedHashMap<>();
        for (String field : List.of("partition", "offset", "timestamp", "key", "value", "headers")) {
          line.put(field, record.get(field));
        }
        lines.append(Json.write(line)).append('\n');
        count++;
        continue;
      }
      if (printOffset) {
        lines.append("Partition:").append(Json.number(record, "partition"))
            .append("\tOffset:").append(Json.number(record, "offset")).append('\t');
      }
      if (printKey) {
        lines.append(Json.text(record, "key")).append(keySeparator);
      }
      lines.append(Json.text(record, "value")).append('\n');
      count++;
    }
    synchronized (this) {
      out.print(lines);
      out.flush();
      printed += count;
    }
    return count;
  }

  private synchronized void finish(PrintWriter out) {
    out.flush();
    spec.commandLine().getErr().println("Processed a total of " + printed + " messages");
    spec.commandLine().getErr().flush();
  }

  private void validate() {
    if (fromTime != null && spec.commandLine().getParseResult().hasMatchedOption("--offset")) {
      throw new ParameterException(spec.commandLine(), "Give either --offset or --from-time, not both");
    }
    if (!offset.equals("earliest") && !offset.equals("latest")) {
      try {
        if (Long.parseLong(offset) < 0) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new ParameterException(spec.commandLine(), "--offset must be earliest, latest or a number >= 0, was " + offset);
      }
      if (partition == null) {
        throw new ParameterException(spec.commandLine(), "--offset N needs --partition (as in Kafka's console consumer)");
      }
    }
    if (group != null && (partition != null || fromTime != null
        || spec.commandLine().getParseResult().hasMatchedOption("--offset"))) {
      throw new ParameterException(spec.commandLine(), "With --group the group assigns the partitions and keeps the "
          + "offsets: --partition, --offset and --from-time do not apply (use --from-beginning, or groups reset-offsets)");
    }
    if (fromBeginning && group == null) {
      throw new ParameterException(spec.commandLine(), "--from-beginning is for --group (else: --offset earliest)");
    }
    if (!format.equals("text") && !format.equals("json")) {
      throw new ParameterException(spec.commandLine(), "--format must be text or json, was " + format);
    }
    if (!encoding.equals("utf8") && !encoding.equals("base64")) {
      throw new ParameterException(spec.commandLine(), "--encoding must be utf8 or base64, was " + encoding);
    }
    if (format.equals("json") && (printKey || printOffset)) {
      throw new ParameterException(spec.commandLine(), "--format json prints the key and offset already: "
          + "--print-key and --print-offset are for --format text");
    }
    if (partition != null && partition < 0) {
      throw new ParameterException(spec.commandLine(), "--partition must be >= 0");
    }
    if (maxMessages != null && maxMessages < 1 || timeoutMs != null && timeoutMs < 0) {
      throw new ParameterException(spec.commandLine(), "--max-messages must be >= 1 and --timeout-ms >= 0");
    }
  }
}
