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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code brook produce} and {@code brook consume} through a failover, against a stand-in HTTP API that
 * answers 503 (the leader moved) a few times before it succeeds: the producer sends the same request
 * again in order and the consumer reads the same position again; a non-retriable error is not retried.
 */
class ProduceRetryTest {
  private HttpServer server;
  private final List<String> produced = new CopyOnWriteArrayList<>();
  private final List<String> reads = new CopyOnWriteArrayList<>();
  private volatile int failuresLeft;
  private volatile int failStatus = 503;
  private volatile String failError = "NOT_LEADER_OR_FOLLOWER";

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/topics/t/partitions", exchange -> StubApi.answer(exchange, 200,
        "{\"name\":\"t\",\"partitions\":[{\"partition\":0,\"leader\":1}]}"));
    server.createContext("/api/topics/t/records", exchange -> {
      if (failuresLeft > 0) {
        failuresLeft--;
        StubApi.answer(exchange, failStatus, "{\"error\":\"" + failError + "\",\"code\":6,\"message\":\"broker 3 left\"}");
        return;
      }
      if (exchange.getRequestMethod().equals("POST")) {
        produced.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
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
