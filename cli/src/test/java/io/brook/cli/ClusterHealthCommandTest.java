package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.brook.cli.BrookCliEndToEndTest.Result;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code brook cluster health} against a stand-in API: an unhealthy answer (503 with a health body) is printed
 * and exits 1, with the lists' truncation said; a 503 that is an error (no health body) is an error line, exit 1.
 */
class ClusterHealthCommandTest {
  private HttpServer server;
  private final AtomicReference<String> body = new AtomicReference<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/health", exchange -> StubApi.answer(exchange, 503, body.get()));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Result health() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = BrookCli.commandLine();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int exit = line.execute("--bootstrap", "127.0.0.1:" + server.getAddress().getPort(), "cluster", "health");
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void anUnhealthyClusterIsPrintedWithItsReasonsAndExitsOne() {
    body.set("{\"healthy\":false,\"reasons\":[\"no controller (the metadata quorum has no leader)\","
        + "\"broker 2 is FENCED\",\"150 under-replicated partition(s)\"],\"controllerId\":-1,\"brokers\":[1,2],"
        + "\"brokersDown\":[{\"nodeId\":2,\"state\":\"FENCED\"}],\"leaderlessPartitionCount\":0,"
        + "\"leaderlessPartitions\":[],\"underReplicatedPartitionCount\":150,"
        + "\"underReplicatedPartitions\":[\"t:0\",\"t:1\"]}");
    Result result = health();
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).isEqualTo("""
        Healthy: no
        Reasons: no controller (the metadata quorum has no leader); broker 2 is FENCED; 150 under-replicated partition(s)
        Controller: none
        Brokers: 1, 2\tDown: 2 (FENCED)
        Leaderless partitions (0): -
        Under-replicated partitions (150, the first 2 listed): t:0, t:1
        """);
  }

  @Test
  void aFailedHealthRequestIsAnErrorLine() {
    body.set("{\"error\":\"LEADER_NOT_AVAILABLE\",\"code\":5,\"message\":\"NOT_READY: broker 1 has not caught up\"}");
    Result result = health();
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("Error: LEADER_NOT_AVAILABLE: NOT_READY: broker 1 has not caught up\n");
  }
}
