package io.brook.cli;

import static io.brook.cli.BrookCliEndToEndTest.Result;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code brook topics purge} against a real node: one line per partition, failures exit 1, bad options exit 2. */
class TopicsPurgeTest {
  @TempDir
  static Path dataDir;
  static CliNode node;

  @BeforeAll
  static void start() {
    node = new CliNode(dataDir, 0);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  static Result fed(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = BrookCli.commandLine(new BrookCli(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    List<String> full = new ArrayList<>(List.of("--bootstrap", node.bootstrap()));
    full.addAll(List.of(args));
    int exit = line.execute(full.toArray(new String[0]));
    return new Result(exit, out.toString(), err.toString());
  }

  static Result ok(Result result) {
    assertThat(result.exit()).as("exit code; stderr: " + result.err()).isZero();
    return result;
  }

  static String lines(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void purgesOnePartitionToAnOffsetThenEveryPartitionToItsHighWatermark() {
    ok(fed("", "topics", "create", "purged", "--partitions", "2"));
    ok(fed(lines(1, 10), "produce", "purged", "--partition", "0"));
    ok(fed(lines(1, 4), "produce", "purged", "--partition", "1"));

    assertThat(ok(fed("", "topics", "purge", "purged", "--partition", "0", "--offset", "6")).lines())
        .containsExactly("Topic: purged\tPartition: 0\tLowWatermark: 6");
    assertThat(ok(fed("", "consume", "purged", "--partition", "0", "--offset", "earliest", "--max-messages", "2")).lines())
        .containsExactly("7", "8");

    assertThat(ok(fed("", "topics", "purge", "purged")).lines()).containsExactly(
        "Topic: purged\tPartition: 0\tLowWatermark: 10", "Topic: purged\tPartition: 1\tLowWatermark: 4");
    assertThat(ok(fed("", "topics", "describe", "purged")).out()).contains("LogStartOffset: 10").contains("LogStartOffset: 4");
  }

  @Test
  void aPartitionThatFailsIsPrintedAndTheCommandExitsOne() {
    ok(fed("", "topics", "create", "short", "--partitions", "1"));
    ok(fed(lines(1, 3), "produce", "short", "--partition", "0"));
    Result beyond = fed("", "topics", "purge", "short", "--partition", "0", "--offset", "50");
    assertThat(beyond.exit()).isEqualTo(1);
    assertThat(beyond.lines()).singleElement().asString()
        .startsWith("Topic: short\tPartition: 0\tError: OFFSET_OUT_OF_RANGE: ").contains("high watermark 3");
    assertThat(beyond.err()).contains("1 partition(s) of short could not be purged");

    Result missing = fed("", "topics", "purge", "short", "--partition", "4");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.out()).contains("UNKNOWN_TOPIC_OR_PARTITION");
    Result noTopic = fed("", "topics", "purge", "nope");
    assertThat(noTopic.exit()).isEqualTo(1);
    assertThat(noTopic.err()).contains("UNKNOWN_TOPIC_OR_PARTITION");
  }

  @Test
  void badOptionsAreUsageErrorsBeforeAnyRequest() {
    Result offsetAlone = fed("", "topics", "purge", "any", "--offset", "3");
    assertThat(offsetAlone.exit()).isEqualTo(2);
    assertThat(offsetAlone.err()).contains("--offset needs --partition");
    assertThat(fed("", "topics", "purge", "any", "--partition", "0", "--offset", "-5").exit()).isEqualTo(2);
    assertThat(fed("", "topics", "purge", "any", "--partition", "-1").exit()).isEqualTo(2);
    assertThat(fed("", "topics", "purge", "..").exit()).isEqualTo(2);
  }
}
