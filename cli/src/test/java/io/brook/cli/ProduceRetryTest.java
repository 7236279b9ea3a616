package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code brook produce} and {@code brook consume} through a failover, against a stand-in HTTP API that
 * answers 503 (the leader moved) a few times before it succeeds: the producer sends the same request
 * again in order, with the same producer id and sequence, and the consumer reads the same position
 * again; a non-retriable error is not retried; a refused sequence is sent again at 0 under a new
 * producer id; a server without producer ids gets plain requests and a note.
 */
class ProduceRetryTest {
  private HttpServer server;
  private final List<String> produced = new CopyOnWriteArrayList<>();
  private final List<String> reads = new CopyOnWriteArrayList<>();
  private volatile int failuresLeft;
  private volatile int failStatus = 503;
  private volatile String failError = "NOT_LEADER_OR_FOLLOWER";
  /** Every produce body received, failed or not. */
  private final List<String> attempts = new CopyOnWriteArrayList<>();
  private final AtomicInteger producerIdsGiven = new AtomicInteger();
  private volatile boolean producerIdsOffered = true;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/topics/t/partitions", exchange -> StubApi.answer(exchange, 200,
        "{\"name\":\"t\",\"partitions\":[{\"partition\":0,\"leader\":1}]}"));
    server.createContext("/api/producer-ids", exchange -> {
      if (!producerIdsOffered) { // a Brook before idempotent HTTP produce: no such route
        StubApi.answer(exchange, 404, "{\"error\":\"INVALID_REQUEST\",\"code\":42,"
            + "\"message\":\"no such resource: POST /api/producer-ids\"}");
        return;
      }
      StubApi.answer(exchange, 200, "{\"producerId\":" + (100 + producerIdsGiven.getAndIncrement())
          + ",\"producerEpoch\":0}");
    });
    server.createContext("/api/topics/t/records", exchange -> {
      if (exchange.getRequestMethod().equals("POST")) {
        attempts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      }
      if (failuresLeft > 0) {
        failuresLeft--;
        StubApi.answer(exchange, failStatus, "{\"error\":\"" + failError + "\",\"code\":6,\"message\":\"broker 3 left\"}");
        return;
      }
      if (exchange.getRequestMethod().equals("POST")) {
        produced.add(attempts.get(attempts.size() - 1));
        StubApi.answer(exchange, 200, "{\"offsets\":[{\"partition\":0,\"offset\":0}]}");
      } else {
        reads.add(exchange.getRequestURI().getQuery());
        StubApi.answer(exchange, 200, "{\"records\":[{\"partition\":0,\"offset\":0,\"value\":\"one\"}],"
            + "\"nextOffset\":1,\"highWatermark\":1}");
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private BrookCliEndToEndTest.Result run(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = BrookCli.commandLine(new BrookCli(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    String[] full = new String[args.length + 2];
    full[0] = "--bootstrap";
    full[1] = "127.0.0.1:" + server.getAddress().getPort();
    System.arraycopy(args, 0, full, 2, args.length);
    return new BrookCliEndToEndTest.Result(line.execute(full), out.toString(), err.toString());
  }

  @Test
  void aBatchThatFailedRetriablyIsSentAgainAndArrivesOnce() {
    failuresLeft = 3;
    BrookCliEndToEndTest.Result result = run("a\nb\n", "produce", "t", "--partition", "0");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(produced).hasSize(1);
    assertThat(produced.get(0)).contains("\"value\":\"a\"").contains("\"value\":\"b\"");
    assertThat(result.err()).contains("Warning: Partition 0: NOT_LEADER_OR_FOLLOWER: broker 3 left; retrying 2 record(s)")
        .contains("Warning: Partition 0: 2 record(s) delivered after 4 attempts");
    assertThat(attempts).hasSize(4).allMatch(body -> body.equals(attempts.get(0)));
    assertThat(attempts.get(0)).startsWith("{\"producerId\":100,\"producerEpoch\":0,\"baseSequence\":0,"
        + "\"partition\":0,");
    assertThat(producerIdsGiven).hasValue(1);
  }

  @Test
  void eachPartitionNumbersItsRequestsFromZero() {
    BrookCliEndToEndTest.Result result = run("a\nb\nc\nd\ne\n", "produce", "t", "--partition", "0", "--batch-size", "2");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.err()).isEmpty();
    assertThat(produced).hasSize(3);
    assertThat(produced.get(0)).startsWith("{\"producerId\":100,\"producerEpoch\":0,\"baseSequence\":0,");
    assertThat(produced.get(1)).startsWith("{\"producerId\":100,\"producerEpoch\":0,\"baseSequence\":2,");
    assertThat(produced.get(2)).startsWith("{\"producerId\":100,\"producerEpoch\":0,\"baseSequence\":4,")
        .contains("\"value\":\"e\"");
  }

  @Test
  void aRefusedSequenceIsSentAgainAtZeroUnderANewProducerId() {
    failuresLeft = 1;
    failStatus = 409;
    failError = "OUT_OF_ORDER_SEQUENCE_NUMBER";
    BrookCliEndToEndTest.Result result = run("a\nb\n", "produce", "t", "--partition", "0", "--batch-size", "1");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(attempts).hasSize(3);
    assertThat(attempts.get(0)).startsWith("{\"producerId\":100,\"producerEpoch\":0,\"baseSequence\":0,")
        .contains("\"value\":\"a\"");
    assertThat(attempts.get(1)).as("the same line, first of the new id")
        .startsWith("{\"producerId\":101,\"producerEpoch\":0,\"baseSequence\":0,").contains("\"value\":\"a\"");
    assertThat(attempts.get(2)).startsWith("{\"producerId\":101,\"producerEpoch\":0,\"baseSequence\":1,")
        .contains("\"value\":\"b\"");
    assertThat(result.err()).contains("Warning: Partition 0: OUT_OF_ORDER_SEQUENCE_NUMBER: broker 3 left; sending 1 "
        + "record(s) again under a new producer id");
  }

  @Test
  void aServerWithoutProducerIdsGetsPlainRequestsAndANote() {
    producerIdsOffered = false;
    failuresLeft = 1;
    BrookCliEndToEndTest.Result result = run("a\n", "produce", "t");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.err()).startsWith("Note: this server hands out no producer ids (POST /api/producer-ids): "
        + "delivery is at least once");
    assertThat(attempts).hasSize(2).allMatch(body -> body.startsWith("{\"partition\":0,\"acks\":\"all\","));
    // a refused sequence cannot happen without one; any 409 is an ordinary failure
    producerIdsOffered = true;
    assertThat(run("a\n", "produce", "t", "--acks", "0").err()).as("acks 0: no ids asked, no note").isEmpty();
    assertThat(producerIdsGiven).hasValue(0);
    assertThat(attempts.get(2)).startsWith("{\"partition\":0,\"acks\":\"0\",");
  }

  @Test
  void throttlingIsRetriedButOtherErrorsAreNot() {
    failuresLeft = 1;
    failStatus = 429;
    failError = "THROTTLING_QUOTA_EXCEEDED";
    assertThat(run("a\n", "produce", "t").exit()).isZero();
    assertThat(produced).hasSize(1);

    failuresLeft = 1;
    failStatus = 400;
    failError = "INVALID_RECORD";
    BrookCliEndToEndTest.Result refused = run("a\n", "produce", "t");
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).doesNotContain("Warning").contains("Error: INVALID_RECORD");
    assertThat(produced).hasSize(1);
  }

  @Test
  void consumeReadsTheSamePositionAgainAfterARetriableError() {
    failuresLeft = 2;
    BrookCliEndToEndTest.Result result = run("", "consume", "t", "--partition", "0", "--offset", "0",
        "--max-messages", "1");
    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("one\n");
    assertThat(result.err()).contains("Warning: NOT_LEADER_OR_FOLLOWER: broker 3 left; retrying")
        .contains("Warning: reading again after");
    assertThat(reads).hasSize(1).allMatch(query -> query.startsWith("partition=0&offset=0"));
  }
}
